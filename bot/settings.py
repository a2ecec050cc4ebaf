"""Configuration, read once from the environment (and a `.env` file) by pydantic-settings."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_SLACK_AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"
SLACK_REQUEST_PATH = "/slack/events"
# OAuth ("Add to Slack"): where the install starts, and where Slack sends the browser back.
SLACK_INSTALL_PATH = "/slack/install"
SLACK_REDIRECT_PATH = "/slack/oauth_redirect"
# The bot scopes of app_manifest.yml (a test keeps the two equal): what an install asks for.
MANIFEST_BOT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "channels:join",
    "chat:write",
    "commands",
    "groups:history",
    "im:history",
    "files:write",
    "files:read",
    "users:read",
    "users:read.email",
    "im:write",
)


class Settings(BaseSettings):
    """Everything a process needs to know about its environment.

    Secrets are `SecretStr` so that printing or logging the settings never shows them.
    """

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    # OAuth mode (an app installed to many workspaces) instead of one SLACK_BOT_TOKEN.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_scopes: str = ",".join(MANIFEST_BOT_SCOPES)  # comma-separated
    slack_authorize_url: str = DEFAULT_SLACK_AUTHORIZE_URL
    slack_redirect_uri: str | None = None  # when the app has several redirect URLs
    # Rotated tokens are refreshed this many minutes before they expire.
    slack_token_rotation_minutes: int = Field(default=120, ge=1)
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = "sqlite:///icrm.db"
    port: int = 3000
    default_timezone: str = "Asia/Shanghai"
    default_currency: str = "CNY"
    default_locale: str = "zh-Hans"
    log_level: str = "INFO"
    # Outbound webhooks: every recorded event is POSTed here, signed with the secret.
    icrm_webhook_url: str | None = None
    icrm_webhook_secret: SecretStr | None = None
    # Seals anonymous survey answers while they wait to be released in a group (see the
    # README's anonymity section); defaults to a key derived from the signing secret. Keep
    # it out of the database and its backups.
    icrm_anonymity_key: SecretStr | None = None
    # Slack pacing: at most this many messages per second to one channel (Slack's limit is 1).
    slack_channel_rate: float = Field(default=1.0, gt=0)
    # …and this many a second across the workspace ("several hundred a minute", says Slack).
    slack_workspace_rate: float = Field(default=5.0, gt=0)

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # slack_sdk joins base_url and method name by plain concatenation.
        return value if value.endswith("/") else value + "/"

    @property
    def oauth(self) -> bool:
        """OAuth mode: installed per workspace through "Add to Slack", tokens in the database.

        `SLACK_BOT_TOKEN` wins: with it the bot serves one workspace, as it always did."""
        return not self.slack_bot_token and bool(self.slack_client_id and self.slack_client_secret)

    @property
    def scopes(self) -> list[str]:
        return [s.strip() for s in self.slack_scopes.split(",") if s.strip()]

    def missing_slack_credentials(self) -> list[str]:
        """Names of the variables HTTP or Socket Mode serving needs but that are unset.

        One of the two modes is needed: `SLACK_BOT_TOKEN` (one workspace), or
        `SLACK_CLIENT_ID` and `SLACK_CLIENT_SECRET` (OAuth); a half-set OAuth pair names its
        missing half."""
        missing = []
        if not self.slack_bot_token:
            if self.slack_client_id and not self.slack_client_secret:
                missing.append("SLACK_CLIENT_SECRET")
            elif self.slack_client_secret and not self.slack_client_id:
                missing.append("SLACK_CLIENT_ID")
            elif not self.oauth:
                missing.append("SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)")
        if not self.slack_signing_secret:
            missing.append("SLACK_SIGNING_SECRET")
        return missing

    def secret(self, name: str) -> str:
        value = getattr(self, name)
        return value.get_secret_value() if value is not None else ""
