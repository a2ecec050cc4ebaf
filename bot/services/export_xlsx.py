"""`/icrm export … xlsx`, as the Slack command calls it: `bot.services.export.write_export`
writes the workbook when the request asks for xlsx (`bot.services.export.xlsx`)."""

from bot.services.export import write_export as write_xlsx

__all__ = ["write_xlsx"]
