"""Slack's side of OAuth v2 and of many workspaces, for the stand-in (`slack_api.FakeSlack`).

- `GET /oauth/v2/authorize?client_id=…&scope=…&state=…[&team=T…]`: the user "allows" at once
  and the browser is sent back (302) to the app's redirect URL with `code` and `state`, as
  Slack does; `team` (Slack's own parameter) picks the workspace, the first one otherwise.
- `oauth.v2.access`: a code (once, within ten minutes, with the app's client id and secret)
  becomes a bot token; with token rotation the token expires and comes with a refresh
  token, and `grant_type=refresh_token` trades that for a new pair.
- Each token belongs to one workspace (or, org-wide, to an Enterprise Grid organisation):
  `auth.test` answers with it, a revoked token gets `token_revoked`, an expired one
  `token_expired`, and a channel or user of another workspace is not found.
"""

from __future__ import annotations

import base64
import itertools
import secrets
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

CODE_LIFETIME = 600


@dataclass
class Workspace:
    team_id: str
    name: str
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    users: set[str] = field(default_factory=set)
    channels: set[str] = field(default_factory=set)


@dataclass
class Grant:
    """What a token (or a refresh token, or a code) stands for."""

    team_id: str | None  # None: an org-wide install (the whole enterprise)
    enterprise_id: str | None
    user_id: str
    org_install: bool = False
    expires_at: float | None = None  # on time.monotonic()
    revoked: bool = False


@dataclass
class Failure:
    error: str


class OAuthServer:
    """The app's registration on Slack (client id, secret, redirect URL) and its grants."""

    def __init__(self) -> None:
        self.client_id = "CLIENT.ID"
        self.client_secret = "client-secret"
        self.redirect_url: str | None = None  # the manifest's redirect_urls
        self.rotation_seconds: int | None = None  # token rotation on: tokens expire
        self.workspaces: dict[str, Workspace] = {}
        self.tokens: dict[str, Grant] = {}
        self.refresh_tokens: dict[str, Grant] = {}
        self._codes: dict[str, tuple[float, Grant]] = {}
        self._ids = itertools.count(1)

    def reset(self) -> None:
        self.workspaces.clear()
        self.tokens.clear()
        self.refresh_tokens.clear()
        self._codes.clear()
        self.redirect_url = None
        self.rotation_seconds = None

    def workspace(
        self,
        team_id: str,
        *,
        name: str | None = None,
        enterprise_id: str | None = None,
        users: list[str] | None = None,
        channels: list[str] | None = None,
    ) -> Workspace:
        found = self.workspaces[team_id] = Workspace(
            team_id,
            name or team_id,
            enterprise_id,
            enterprise_id,
            set(users or ()),
            set(channels or ()),
        )
        return found

    # -- the browser ---------------------------------------------------------------
    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """The authorize page: straight back to the redirect URL with a code (or an error)."""
        redirect = query.get("redirect_uri") or self.redirect_url
        if query.get("client_id") != self.client_id or not redirect:
            return 400, {}, b"invalid client_id or no redirect URL"
        team = query.get("team") or next(iter(self.workspaces), None)
        workspace = self.workspaces.get(team or "")
        state = query.get("state", "")
        if workspace is None:
            return self._back(redirect, {"error": "access_denied", "state": state})
        org = query.get("org_install") == "true" and workspace.enterprise_id is not None
        installer = query.get("user") or next(iter(sorted(workspace.users)), "UINSTALLER")
        code = f"code-{next(self._ids)}-{secrets.token_hex(4)}"
        grant = Grant(
            None if org else workspace.team_id, workspace.enterprise_id, installer, org_install=org
        )
        self._codes[code] = (time.monotonic(), grant)
        return self._back(redirect, {"code": code, "state": state})

    @staticmethod
    def _back(redirect: str, params: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        joiner = "&" if "?" in redirect else "?"
        return 302, {"Location": redirect + joiner + urllib.parse.urlencode(params)}, b""

    # -- oauth.v2.access -----------------------------------------------------------
    def access(self, args: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        client_id, client_secret = _client_credentials(args, headers)
        if client_id != self.client_id or client_secret != self.client_secret:
            return {"ok": False, "error": "invalid_client_id" if client_id else "bad_client_secret"}
        if args.get("grant_type") == "refresh_token":
            grant = self.refresh_tokens.get(str(args.get("refresh_token")))
            if grant is None or grant.revoked:
                return {"ok": False, "error": "invalid_refresh_token"}
            return self._issue(grant)
        issued = self._codes.pop(str(args.get("code")), None)
        if issued is None or time.monotonic() - issued[0] > CODE_LIFETIME:
            return {"ok": False, "error": "invalid_code"}
        return self._issue(issued[1])

    def _issue(self, grant: Grant) -> dict[str, Any]:
        n = next(self._ids)
        scope = grant.team_id or grant.enterprise_id
        token = f"xoxb-{scope}-{n}-{secrets.token_hex(6)}"
        fresh = Grant(grant.team_id, grant.enterprise_id, grant.user_id, grant.org_install)
        answer: dict[str, Any] = {
            "ok": True,
            "app_id": "ATEST",
            "authed_user": {"id": grant.user_id},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": self.bot_user_id(grant),
            "team": None,
            "enterprise": None,
            "is_enterprise_install": grant.org_install,
        }
        workspace = self.workspaces.get(grant.team_id or "")
        if workspace is not None:
            answer["team"] = {"id": workspace.team_id, "name": workspace.name}
        if grant.enterprise_id:
            answer["enterprise"] = {"id": grant.enterprise_id, "name": grant.enterprise_id}
        if self.rotation_seconds is not None:
            fresh.expires_at = time.monotonic() + self.rotation_seconds
            refresh = f"xoxe-1-{scope}-{n}-{secrets.token_hex(6)}"
            self.refresh_tokens[refresh] = fresh
            answer["refresh_token"], answer["expires_in"] = refresh, self.rotation_seconds
        self.tokens[token] = fresh
        return answer

    # -- who is calling ------------------------------------------------------------
    def grant(self, token: str) -> Grant | Failure | None:
        """The grant behind a token; a `Failure` for a revoked or expired one; None for a
        token we did not issue (the single-workspace token of the sandbox and tests)."""
        grant = self.tokens.get(token)
        if grant is None:
            return None
        if grant.revoked:
            return Failure("token_revoked")
        if grant.expires_at is not None and grant.expires_at < time.monotonic():
            return Failure("token_expired")
        return grant

    def revoke(self, team_id: str | None = None, enterprise_id: str | None = None) -> None:
        """Uninstall: every token and refresh token of the workspace stops working."""
        for grant in [*self.tokens.values(), *self.refresh_tokens.values()]:
            if (team_id and grant.team_id == team_id) or (
                enterprise_id and grant.enterprise_id == enterprise_id and not team_id
            ):
                grant.revoked = True

    @staticmethod
    def bot_user_id(grant: Grant) -> str:
        return f"UBOT{grant.team_id or grant.enterprise_id}"

    def owner(self, conversation_or_user: str) -> str | None:
        """The workspace a declared channel or user belongs to."""
        for workspace in self.workspaces.values():
            if (
                conversation_or_user in workspace.channels
                or conversation_or_user in workspace.users
            ):
                return workspace.team_id
        return None

    def team_of(self, grant: Grant) -> Workspace | None:
        return self.workspaces.get(grant.team_id or "")


def _client_credentials(args: dict[str, Any], headers: dict[str, str]) -> tuple[str, str]:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        return client_id, secret
    return str(args.get("client_id") or ""), str(args.get("client_secret") or "")


def token_of(args: dict[str, Any], headers: dict[str, str]) -> str:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:]
    return str(args.get("token") or "")
