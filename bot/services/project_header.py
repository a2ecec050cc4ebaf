"""The project a card is about, as the renderers and jobs that show the card need it."""

from __future__ import annotations

from dataclasses import dataclass, fields

from bot.i18n import Translator, translator
from storage.models import Project


@dataclass(frozen=True)
class ProjectHeader:
    """A project's name, where it talks and how it speaks: plain values, safe outside the
    session. Cards carry it as `project` instead of copying these fields each."""

    id: int
    code: str
    name: str
    channel_id: str  # the command channel
    locale: str
    timezone: str
    currency: str

    @property
    def tr(self) -> Translator:
        """A translator into the project's language."""
        return translator(self.locale)

    @classmethod
    def of(cls, project: Project) -> ProjectHeader:
        """The header of a stored project (its columns bear the header's field names)."""
        return cls(**{f.name: getattr(project, f.name) for f in fields(cls)})
