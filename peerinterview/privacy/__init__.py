"""Privacy helpers without Flask: finding likely identifying details in free text."""
