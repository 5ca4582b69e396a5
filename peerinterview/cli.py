"""Command-line tasks: `flask --app app demo`, `flask --app app create-staff [--admin]`,
`flask --app app b1-check` (B1 advice for Dutch text from standard input; `--a2` for easy read)."""
import click
from flask import Flask, current_app
from flask_babel import gettext as _

from .extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.command("demo")
    def demo_command():
        """Maak demodata: een onderzoek met 40 interviews en vier demo-accounts."""
        from .demo import DEMO_PASSWORD, DEMO_USERS, create_demo, demo_exists, demo_public_path

        if current_app.config["ENV_NAME"] == "production":
            raise click.ClickException(_("Demodata mag niet in de echte omgeving. Er is niets veranderd."))
        if demo_exists():
            click.echo(_("De demodata zijn er al. Er is niets veranderd."))
        else:
            create_demo()
            db.session.commit()
            click.echo(_("De demodata zijn gemaakt."))
        for username, *_rest in DEMO_USERS:
            click.echo(f"  {username} / {DEMO_PASSWORD}")
        if path := demo_public_path():
            click.echo(_("Openbare pagina, zonder inloggen: %(path)s", path=path))

    @app.cli.command("create-staff")
    @click.option("--username", prompt=True, help="Username of the new staff account.")
    @click.option("--name", "display_name", prompt=True, help="Display name.")
    @click.password_option(help="Password (asked twice if not given).")
    @click.option("--admin", is_flag=True,
                  help="Make the account an administrator: it manages every account, also other staff. "
                       "The first staff account made here always is one.")
    def create_staff_command(username, display_name, password, admin):
        """Maak een account voor een begeleider (staf)."""
        from .accounts.passwords import MIN_LENGTH, TOO_COMMON, is_common
        from .accounts.services import active_admin_count, create_user, username_taken

        if len(password) < MIN_LENGTH:
            raise click.ClickException(_("Gebruik een wachtwoord van minstens 8 tekens."))
        if is_common(password):
            raise click.ClickException(str(TOO_COMMON))
        if username_taken(username):
            raise click.ClickException(_("Deze gebruikersnaam bestaat al. Kies een andere."))
        # Without an administrator nobody could reset a staff member's password or lost phone.
        first = active_admin_count() == 0
        user = create_user(username=username, display_name=display_name, password=password, is_staff=True,
                           is_admin=admin or first)
        db.session.commit()
        click.echo(_("Account gemaakt voor %(name)s.", name=user.display_name))
        if user.is_admin:
            click.echo(_("%(name)s is beheerder.", name=user.display_name) if admin else
                       _("%(name)s is beheerder, want er was nog geen beheerder.", name=user.display_name))

    @app.cli.command("b1-check")
    @click.argument("source", type=click.File("rb"), default="-")
    @click.option("--a2", is_flag=True, help="Strenger advies voor makkelijk lezen (A2): per regel.")
    def b1_check_command(source, a2):
        """Controleer een Nederlandse tekst op taalniveau B1. Lees de tekst uit een bestand of van
        standaardinvoer (stdin) en geef het advies als JSON."""
        click.echo(_language_advice_json(source.read().decode("utf-8", errors="replace"), a2=a2))


def _language_advice_json(text: str, *, a2: bool) -> str:
    import json

    from .plainlanguage import check
    from .plainlanguage.a2 import check_a2

    report = check_a2(text) if a2 else check(text)
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
