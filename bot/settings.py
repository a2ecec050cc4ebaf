"""Configuration, read once from the environment (and a `.env` file) by pydantic-settings."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
SLACK_REQUEST_PATH = "/slack/events"


class Settings(BaseSettings):
    """Everything a process needs to know about its environment.

    Secrets are `SecretStr` so that printing or logging the settings never shows them.
    """

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
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

    def missing_slack_credentials(self) -> list[str]:
        """Names of the variables HTTP or Socket Mode serving needs but that are unset."""
        missing = []
        if not self.slack_bot_token:
            missing.append("SLACK_BOT_TOKEN")
        if not self.slack_signing_secret:
            missing.append("SLACK_SIGNING_SECRET")
        return missing

    def secret(self, name: str) -> str:
        value = getattr(self, name)
        return value.get_secret_value() if value is not None else ""
