"""Parts of the access table (tests/test_access.py), one module per area of the app.

Each module defines ACCESS = {endpoint: {method: roles}} in walk order, and may define
ALLOWED_STATUSES_OF = {endpoint: statuses} and url_values(app, world) -> dict, which creates the
objects its routes need (in the matrix world) and returns their URL arguments."""
import importlib
import pkgutil


def load_areas():
    names = sorted(info.name for info in pkgutil.iter_modules(__path__))
    modules = [importlib.import_module(f"{__name__}.{name}") for name in names]
    return [module for module in modules if hasattr(module, "ACCESS")]
