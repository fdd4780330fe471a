"""Locale folder names and the Debian localisation packages worth fetching per language.

Catalogs name their language with a POSIX/BCP-47 locale tag in the path (``uz``,
``uz@cyrillic``, ``de_DE``, ``en-GB``).  :func:`locale_matches` decides whether such a
tag is the requested :class:`~langzoo.languages.Language`, script included, so that
``uz@cyrillic`` is not harvested as Latin-script Uzbek.
"""

from __future__ import annotations

import re

from langzoo.languages import Language, resolve_language

_TAG_RE = re.compile(
    r"^(?P<lang>[a-z]{2,3})(?:[-_](?P<script>[A-Z][a-z]{3}))?(?:[-_](?P<region>[A-Z]{2}|\d{3}))?"
    r"(?:@(?P<variant>[A-Za-z]+))?$"
)
_VARIANT_SCRIPT = {"cyrillic": "Cyrl", "latin": "Latn", "latn": "Latn", "cyrl": "Cyrl",
                   "arabic": "Arab", "arab": "Arab", "devanagari": "Deva"}
# Scripts a bare tag ("uz", "kk") means when the catalog does not say.
_DEFAULT_SCRIPT = {"uz": "Latn", "kk": "Cyrl", "ky": "Cyrl", "az": "Latn", "tg": "Cyrl",
                   "mn": "Cyrl", "sr": "Cyrl", "tt": "Cyrl", "tk": "Latn"}
# ISO 639-1 tags of the languages whose canonical langzoo code is a macro-language member.
_TAG_ALIASES = {"uzn": "uz", "uzb": "uz", "azj": "az", "aze": "az", "kaz": "kk", "kir": "ky",
                "tur": "tr", "deu": "de", "ger": "de"}
ENGLISH_TAGS = ("en-US", "en_US", "en-GB", "en_GB", "en")


def parse_locale_tag(tag: str) -> tuple[str, str | None] | None:
    """``"uz@cyrillic"`` → ``("uz", "Cyrl")``; ``"de_DE"`` → ``("de", None)``; junk → None."""
    m = _TAG_RE.match(tag)
    if not m:
        return None
    lang = _TAG_ALIASES.get(m.group("lang"), m.group("lang"))
    script = m.group("script")
    variant = m.group("variant")
    if variant:
        vscript = _VARIANT_SCRIPT.get(variant.lower())
        if vscript is None:
            return None  # e.g. "ca@valencia", "sr@ijekavian": a different variety
        script = vscript
    return lang, script


def locale_matches(tag: str, lang: str | Language) -> bool:
    """True when a catalog's locale tag denotes ``lang`` (same language and script)."""
    language = resolve_language(lang)
    parsed = parse_locale_tag(tag)
    if parsed is None:
        return False
    tag_lang, tag_script = parsed
    want = language.alias.split("-")[0].lower()
    if tag_lang != want:
        return False
    script = tag_script or _DEFAULT_SCRIPT.get(tag_lang, language.script)
    return script == language.script


def is_english_tag(tag: str) -> bool:
    parsed = parse_locale_tag(tag)
    return parsed is not None and parsed[0] == "en"


# --- Debian packages --------------------------------------------------------------
# Packages that ship the catalogs of *all* languages (checked on Debian 12 with
# `apt-cache show` / a survey of their .mo files), ordered roughly by yield.  Together
# about 230 MB of .debs; fetch keeps only the files of the requested language.
COMMON_PACKAGES: tuple[str, ...] = (
    # GNOME / GTK
    "iso-codes", "xkb-data", "libgtk-3-common", "libgtk-4-common", "libgtk2.0-common",
    "libglib2.0-data", "gnome-control-center-data", "nautilus-data", "gnome-shell-common",
    "evolution-data-server-common", "evolution-common", "gedit-common", "epiphany-browser-data",
    "gnome-panel-data", "gnome-applets-data", "gnome-desktop3-data", "gnome-session-common",
    "gnome-settings-daemon-common", "gnome-disk-utility", "gnome-system-monitor",
    "gnome-terminal-data", "gnome-software-common", "gnome-calculator", "gnome-maps",
    "gnome-contacts", "gnome-keyring", "gnome-menus", "gvfs-common", "file-roller", "eog",
    "evince-common", "totem-common", "rhythmbox-data", "gucharmap", "yelp", "seahorse",
    "simple-scan", "cheese-common", "zenity-common", "brasero-common", "sound-juicer",
    "libgweather-4-common", "libgtksourceview-4-common", "libgtksourceview-3.0-common",
    "network-manager-gnome", "network-manager", "aisleriot", "gnome-mahjongg", "gnome-chess",
    "gnome-mines", "gnome-klotski", "shotwell-common", "gnumeric-common",
    # Cinnamon / MATE
    "cinnamon-l10n", "muffin-common", "caja-common", "pluma-common", "mate-desktop-common",
    "mate-panel-common", "mate-control-center-common", "atril-common", "eom-common",
    "mate-applets-common", "mate-calc-common", "engrampa-common", "mate-terminal-common",
    "mate-utils-common", "mate-system-monitor-common", "mate-power-manager-common",
    "mate-session-manager", "marco-common", "libmateweather-common", "mate-settings-daemon-common",
    "mate-screensaver-common", "mate-menus", "mate-notification-daemon-common", "mate-media-common",
    "libmatekbd-common", "mozo",
    # Xfce / LXDE
    "xfce4-panel", "thunar-data", "xfce4-session", "mousepad", "libxfce4ui-common",
    "lxpanel-data", "libfm-data", "pcmanfm",
    # KDE (Debian 12 ships each application's catalogs inside the application package)
    "plasma-workspace-data", "plasma-desktop-data", "dolphin", "konsole", "ark",
    # other applications
    "vlc-l10n", "pidgin-data", "transmission-gtk", "audacious", "hexchat-common", "deluge-common",
    "geany-common", "gimp-data", "libgimp2.0", "inkscape", "gnucash-common", "orca",
    "system-config-printer-common", "gstreamer1.0-plugins-good", "libgstreamer1.0-0",
    "packagekit", "tuxpaint-data",
    # system tools
    "util-linux-locales", "coreutils", "apt", "dpkg", "aptitude-common", "synaptic",
    "debconf-i18n",
)

# Per-language packages; "{pkg}" is the Debian language suffix of the language.
LANGUAGE_PACKAGE_TEMPLATES: tuple[str, ...] = (
    "libreoffice-l10n-{pkg}",
    "firefox-esr-l10n-{pkg}",
    "thunderbird-l10n-{pkg}",
    "libreoffice-help-{pkg}",  # help pages: real sentences, paired by paragraph id (help_pages.py)
)
# English builds of the Mozilla language packs: the reference side of .ftl matching
# (en-GB langpacks are complete English localisations; the en-US originals only come
# inside the 70+ MB firefox-esr / thunderbird packages, which are used when installed).
# libreoffice-help-en-us is the English side of the help pages (~29 MB unpacked, kept
# once per language cache).
ENGLISH_REFERENCE_PACKAGES: tuple[str, ...] = ("firefox-esr-l10n-en-gb", "thunderbird-l10n-en-gb", "libreoffice-help-en-us")

# Debian's language suffix where it differs from the langzoo alias, per package family.
_PKG_SUFFIX_OVERRIDES: dict[str, dict[str, str]] = {
    "es": {"firefox-esr": "es-es", "thunderbird": "es-es"},
    "pt": {"firefox-esr": "pt-pt", "thunderbird": "pt-pt", "libreoffice": "pt"},
    "zh": {"firefox-esr": "zh-cn", "thunderbird": "zh-cn", "libreoffice": "zh-cn"},
    "uz-Cyrl": {},
}


def _package_suffix(language: Language, family: str) -> str:
    return _PKG_SUFFIX_OVERRIDES.get(language.alias, {}).get(family, language.alias.lower())


def language_packages(lang: str | Language) -> list[str]:
    """Debian localisation packages to fetch for ``lang`` (language-specific first)."""
    language = resolve_language(lang)
    names: list[str] = []
    for template in LANGUAGE_PACKAGE_TEMPLATES:
        family = re.split(r"-(?:l10n|help)-", template)[0]  # "libreoffice-help-{pkg}" -> "libreoffice"
        names.append(template.format(pkg=_package_suffix(language, family)))
    return names + list(ENGLISH_REFERENCE_PACKAGES) + list(COMMON_PACKAGES)


def libreoffice_locale(lang: str | Language) -> str:
    """LibreOffice's locale tag for ``lang``, as its help folders spell it (``help/<tag>/``).

    It is the Debian ``libreoffice-l10n-*`` / ``libreoffice-help-*`` suffix in BCP-47
    case: ``nl`` → ``nl``, ``zh`` → ``zh-CN``, ``uz-Cyrl`` → ``uz-Cyrl``.
    """
    parts = _package_suffix(resolve_language(lang), "libreoffice").split("-")
    rest = [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p for p in parts[1:]]
    return "-".join([parts[0].lower(), *rest])
