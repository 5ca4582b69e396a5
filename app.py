"""Entry point for `flask --app app …`."""
from peerinterview import create_app

app = create_app()
