"""Workflow Builder custom steps (`app.function`): record fund use, flag a risk, send feedback.

Each step calls the same service, with the same checks and permissions, as the modal it
mirrors, and completes once per `function_execution_id` however often Slack delivers it."""
