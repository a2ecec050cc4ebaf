"""The monthly department scorecard (月度评估) in Slack: `/icrm scorecard`, its rendering and
its delivery (message and trend chart), shared by the command and the monthly job."""
