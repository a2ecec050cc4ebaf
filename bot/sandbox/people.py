"""Who is who in the sandbox: the demo project's Slack users, with readable names and roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from bot.demo.project import DEMO_CHANNEL, PEOPLE, PM
from bot.i18n import Msg, _
from bot.labels import DEPARTMENT_KIND

CHANNEL_NAME: Final = "hwy-42-command-centre"
BOT_NAME: Final = "ICRM"

# Pinyin names, in the order of bot/demo/project.py's PEOPLE (lead first, then members).
_NAMES: Final = {
    PM: "Wang Lei 王磊",
    "U0FINLEAD": "Li Na 李娜",
    "U0FIN1": "Zhang Wei 张伟",
    "U0FIN2": "Liu Yang 刘洋",
    "U0ENGLEAD": "Chen Jie 陈杰",
    "U0ENG1": "Yang Fan 杨帆",
    "U0ENG2": "Zhao Min 赵敏",
    "U0ENG3": "Huang Tao 黄涛",
    "U0LEGLEAD": "Zhou Qing 周晴",
    "U0LEG1": "Wu Hao 吴昊",
    "U0OPSLEAD": "Xu Ming 徐明",
    "U0OPS1": "Sun Li 孙丽",
    "U0OPS2": "Ma Jun 马军",
    "U0DESLEAD": "Zhu Hong 朱红",
    "U0DES1": "Hu Bin 胡斌",
    "U0CONLEAD": "Guo Qiang 郭强",
    "U0CON1": "He Ping 何平",
    "U0CON2": "Gao Yan 高燕",
    "U0CON3": "Lin Feng 林峰",
    "U0SUPLEAD": "Luo Jing 罗静",
    "U0SUP1": "Liang Yu 梁宇",
}


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    role: Msg  # "PM", "Finance lead", "Finance member"

    def slack_profile(self) -> dict[str, Any]:
        """What `users.info` answers for this person."""
        return {
            "id": self.user_id,
            "name": self.user_id.lower(),
            "real_name": self.name,
            "profile": {"real_name": self.name, "display_name": self.name},
            "tz": "Asia/Shanghai",
            "locale": "zh-CN",
        }


def people() -> list[Person]:
    """The PM first, then each department's lead and members."""
    found = [Person(PM, _NAMES[PM], _("PM"))]
    for kind, (lead, members) in PEOPLE.items():
        department = DEPARTMENT_KIND[kind]
        found.append(
            Person(lead, _NAMES.get(lead, lead), _("{department} lead", department=department))
        )
        found.extend(
            Person(m, _NAMES.get(m, m), _("{department} member", department=department))
            for m in members
        )
    return found


__all__ = ["BOT_NAME", "CHANNEL_NAME", "DEMO_CHANNEL", "Person", "people"]
