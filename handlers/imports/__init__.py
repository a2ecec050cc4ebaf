"""`/icrm import`: bring budget lines, departments, funding sources and history from a file."""
