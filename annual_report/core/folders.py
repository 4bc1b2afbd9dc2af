"""The user's folders for this tool: its cache (checked templates) and its settings (mail), the platform's own."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "nianbao"
CACHE_ENV = "NIANBAO_CACHE_DIR"  # overrides, e.g. for tests
CONFIG_ENV = "NIANBAO_CONFIG_DIR"


def cache_folder() -> Path:
    """Where results that only cost time to remake are kept (…/nianbao/Cache on Windows, ~/.cache/nianbao)."""
    override = os.environ.get(CACHE_ENV)
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def config_folder() -> Path:
    """Where the user's settings are kept (%APPDATA%\\nianbao on Windows, ~/.config/nianbao)."""
    override = os.environ.get(CONFIG_ENV)
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False, roaming=True))
