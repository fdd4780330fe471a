"""Fixtures that build tiny localisation catalogs in tmp_path."""

from __future__ import annotations

import zipfile
from pathlib import Path

import polib
import pytest


def make_po(entries, lang="uz", fuzzy=(), obsolete=()):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": lang}
    for msgid, msgstr in entries:
        e = polib.POEntry(msgid=msgid, msgstr=msgstr)
        if msgid in fuzzy:
            e.flags.append("fuzzy")
        po.append(e)
    for msgid, msgstr in obsolete:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, obsolete=True))
    return po


def write_mo(path: Path, entries, lang="uz") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    make_po(entries, lang).save_as_mofile(str(path))
    return path


EN_FTL = """\
# comment
-brand-short-name = Firefox
open-file = Open the selected file now
    .accesskey = O
delete-items =
    { $count ->
        [one] Delete this item permanently
       *[other] Delete these items permanently
    }
restart-app = Restart { -brand-short-name } to apply the changes
only-en = This message exists only in English
greeting = Hello { $user }, welcome back to your mailbox
"""

UZ_FTL = """\
-brand-short-name = Firefox
open-file = Tanlangan faylni hozir ochish
    .accesskey = O
delete-items =
    { $count ->
       *[other] Bu elementlarni butunlay o'chirish
    }
restart-app = Oʻzgarishlarni qoʻllash uchun { -brand-short-name } dasturini qayta ishga tushiring
greeting = Salom { $user }, pochta qutingizga xush kelibsiz
"""


@pytest.fixture
def catalog_root(tmp_path: Path) -> Path:
    """A folder with .mo, .po, .ftl and an .xpi for uz (and noise for other locales)."""
    root = tmp_path / "root"
    write_mo(root / "share/locale/uz/LC_MESSAGES/app.mo", [
        ("_Open the file", "Faylni _ochish"),
        ("Save changes to %s?", "%s ga o'zgarishlar saqlansinmi?"),
        ("Delete <b>all</b> items &amp; folders", "Barcha elementlar &amp; jildlarni o‘chirish"),
        ("Print", "Print"),                       # identical → dropped
        ("translator-credits", "Ali Valiyev"),    # credits → skipped by the reader
        ("File name", "Fayl nomi"),
        ("12:34 %d%%", "12:34 %d%%"),             # identical after cleaning
        ("%s:", "%s:"),                           # only a placeholder → empty
    ])
    write_mo(root / "share/locale/uz/LC_MESSAGES/other.mo", [
        ("File name", "Fayl nomi"),
        ("Open the file", "Faylni ochish"),       # same English as above after cleaning
    ])
    write_mo(root / "share/locale/uz@cyrillic/LC_MESSAGES/app.mo", [("Close the window", "Ойнани ёпиш")])
    write_mo(root / "share/locale/de/LC_MESSAGES/app.mo", [("Close the window", "Fenster schließen")])
    po = make_po([("Show hidden files", "Yashirin fayllarni ko'rsatish"), ("Quit now", "Hozir chiqish")],
                 fuzzy=("Quit now",), obsolete=[("Old string here", "Eski satr")])
    (root / "po").mkdir(parents=True)
    po.save(str(root / "po/uz.po"))
    for tag, text in (("en-US", EN_FTL), ("uz", UZ_FTL)):
        p = root / "ftl" / tag / "browser" / "main.ftl"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    ext = root / "thunderbird" / "extensions"
    ext.mkdir(parents=True)
    for tag, value in (("en-GB", "Write a new message to your contacts"), ("uz", "Kontaktlaringizga yangi xabar yozish")):
        with zipfile.ZipFile(ext / f"langpack-{tag}@thunderbird.mozilla.org.xpi", "w") as zf:
            zf.writestr(f"localization/{tag}/messenger/compose.ftl", f"compose-new = {value}\n")
            zf.writestr(f"chrome/{tag}/locale/{tag}/messenger/x.properties", f"key.one={value} now\n")
    return root
