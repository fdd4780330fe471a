"""LibreOffice help pages: paragraph pairing, cleaning, the `help` source and fetch's keep rule."""

import json
import warnings

import pytest

from langzoo.data import CatalogWarning, DataSourceError, FetchWarning, SourceSpecError, fetch_l10n_packages, language_packages, load_pairs, load_texts
from langzoo.data.cli import register
from langzoo.data.fetch import keep_member
from langzoo.data.help_pages import find_help_dirs, help_page_locale, help_pairs, read_help_page
from langzoo.data.locales import libreoffice_locale
from langzoo.languages import resolve_language

from .test_fetch import install_fake_apt

PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><title>x</title><script>var p = "<p id='js'>no</p>";</script></head>
<body><div id="DisplayArea">
<a name="bm_1"></a>
<h1 id="hd_id1" dir="auto">{h1}</h1>
<p id="par_id1" class="paragraph" dir="auto">{p1}</p>
<p id="par_id2" class="paragraph" dir="auto">{p2}</p>
<p id="par_id3" class="paragraph" dir="auto">LibreOffice Writer</p>
{only}
<p id="par_id5" class="code" dir="auto">Sub Main</p>
<div class="icontable"><p id="par_id6" class="paragraphintable"><img src="media/x.svg" alt="{alt}"></p></div>
<p id="par_id7" class="paragraph">{p7}</p>
<h2 id="hd_id2" dir="auto">{h2}</h2>
<p id="par_id8" class="paragraph">{p8}
<div class="table"><p>no id, not paired</p></div>
</div></body></html>
"""
SWITCH = ('<span class="switchinline"><span hidden="true" id="MACtext_1" class="MAC"><span class="keycode">{mac}</span></span>'
          '<span hidden="true" id="defaulttext_1"><span class="keycode">Ctrl</span></span></span><span class="keycode">+O</span>')
EN = dict(
    lang="en-US", h1="Open a document", alt="Icon",
    p1="Select one of the options and click <strong>OK</strong>.",
    p2=f"Press {SWITCH.format(mac='Command')} to open a file &amp; folder.",
    only='<p id="par_id4" class="paragraph">Only in English here.</p>',
    p7="The&nbsp;first<br>line  and\n   the <em>second</em> line.",
    h2="Related <a href='x.html'>Topics</a>", p8="Text before a table",
)
NL = dict(
    lang="nl", h1="Een document openen", alt="Pictogram",
    p1="Selecteer een van de opties en klik op <strong>OK</strong>.",
    p2=f"Druk op {SWITCH.format(mac='Commando')} om een bestand &amp; map te openen.",
    only='<p id="par_id9" class="paragraph">Alleen in het Nederlands.</p>',
    p7="De&nbsp;eerste<br>regel en de <em>tweede</em> regel.",
    h2="Verwante onderwerpen", p8="Tekst voor een tabel",
)
PAGE2 = """<html><body>
<p id="par_x" class="paragraph">{a}</p><div class="embedded"><p id="par_x" class="paragraph">{b}</p></div>
<p id="par_t" class="paragraph">{t}"""  # truncated: the last paragraph never closes

EXPECTED = [
    ("Open a document", "Een document openen"),
    ("Select one of the options and click OK.", "Selecteer een van de opties en klik op OK."),
    ("Press Ctrl+O to open a file & folder.", "Druk op Ctrl+O om een bestand & map te openen."),
    ("The first line and the second line.", "De eerste regel en de tweede regel."),
    ("Related Topics", "Verwante onderwerpen"),
    ("Text before a table", "Tekst voor een tabel"),
    ("First copy of it.", "Eerste kopie ervan."),
    ("Second copy of the text.", "Tweede kopie van de tekst."),
]


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def make_help_tree(help_dir, tags=("en-US", "nl")):
    """``help_dir/<tag>/text/shared/...`` pages for en-US and nl (+ noise), as LibreOffice ships them."""
    if "en-US" in tags:
        en = help_dir / "en-US"
        _write(en / "text/shared/01/page.html", PAGE.format(**EN))
        _write(en / "text/swriter/page2.html", PAGE2.format(a="First copy of it.", b="Second copy of the text.", t="Cut off"))
        _write(en / "text/shared/broken.html", '<p id="par_b">A perfectly fine English paragraph.</p>')
        _write(en / "contents.js", "var x = 1;")
    if "nl" in tags:
        nl = help_dir / "nl"
        _write(nl / "text/shared/01/page.html", PAGE.format(**NL))
        _write(nl / "text/swriter/page2.html", PAGE2.format(a="Eerste kopie ervan.", b="Tweede kopie van de tekst.", t="Afgebroken"))
        _write(nl / "text/shared/broken.html", b'<p id="par_b">Een \xff\xfe kapotte alinea.</p>')  # not UTF-8
        _write(nl / "text/shared/only_nl.html", '<p id="par_o">Alleen Nederlands.</p>')  # no en-US page
    _write(help_dir / "de/text/shared/01/page.html", PAGE.format(**{**NL, "lang": "de"}))  # another language


@pytest.fixture
def help_root(tmp_path):
    root = tmp_path / "root"
    make_help_tree(root / "usr/share/libreoffice/help")
    return root


def test_read_help_page_renders_text(help_root):
    paras, code = read_help_page(help_root / "usr/share/libreoffice/help/en-US/text/shared/01/page.html")
    assert code == 1  # class="code" skipped
    assert paras[("par_id2", 0)] == "Press Ctrl+O to open a file & folder."  # default switch case only, entity decoded
    assert paras[("par_id7", 0)] == "The first line and the second line."  # nbsp, <br>, nested tags, whitespace
    assert paras[("hd_id2", 0)] == "Related Topics"
    assert paras[("par_id8", 0)] == "Text before a table"  # <div> closes the open <p>
    assert paras[("par_id6", 0)] == ""  # an image only
    assert ("js", 0) not in paras and ("par_id5", 0) not in paras
    paras2, _ = read_help_page(help_root / "usr/share/libreoffice/help/en-US/text/swriter/page2.html")
    assert paras2 == {("par_x", 0): "First copy of it.", ("par_x", 1): "Second copy of the text."}  # truncated one dropped


def test_help_pairs_exact_pairs_and_counts(help_root):
    with pytest.warns(CatalogWarning, match="broken.html: not UTF-8"):
        ps = help_pairs("nl", [help_root])
    assert sorted(ps.pairs) == sorted(EXPECTED)
    assert ps.counts == {"extracted": 10, "empty": 9, "identical": 8, "too_short": 8, "too_long": 8,
                         "non_letters": 8, "wrong_script": 8, "untranslated": 8, "dedup_en": 8}
    prov = ps.provenance
    assert prov["kind"] == "help" and prov["locale"] == "nl" and prov["files"] == 2
    assert prov["skipped_files"] == 1 and prov["unmatched_files"] == 1
    assert prov["unmatched_paragraphs"] == 2 and prov["code_paragraphs"] == 1
    assert prov["origins"] == {"shared": 8, "swriter": 2} and len(prov["file_digest"]) == 16
    assert prov["counts"] == ps.counts


def test_help_pairs_min_words_and_no_pages(help_root, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CatalogWarning)
        ps = help_pairs("nl", [help_root], min_words=5)
    assert sorted(ps.pairs) == sorted(p for p in EXPECTED if min(len(p[0].split()), len(p[1].split())) >= 5)
    assert ps.counts["too_short"] == ps.counts["identical"] - sum(1 for p in EXPECTED if min(len(p[0].split()), len(p[1].split())) < 5)
    with pytest.raises(DataSourceError, match="zoo data fetch --lang es"):
        help_pairs("es", [help_root])  # no help/es folder
    with pytest.warns(CatalogWarning, match="does not exist"), pytest.raises(DataSourceError, match="help pages"):
        help_pairs("nl", [tmp_path / "empty"])


def test_find_help_dirs_in_fetch_cache_layout(tmp_path, monkeypatch):
    """fetch unpacks each package into its own folder: the nl tree has no en-US sibling."""
    cache = tmp_path / "home" / "l10n" / "nl"
    make_help_tree(cache / "libreoffice-help-en-us/usr/share/libreoffice/help", tags=("en-US",))
    make_help_tree(cache / "libreoffice-help-nl/usr/share/libreoffice/help", tags=("nl",))
    (cache / "manifest.json").write_text(json.dumps({"packages": {
        "libreoffice-help-nl": {"version": "4:7.4.7-1"}, "libreoffice-help-en-us": {"version": "4:7.4.7-1"},
        "iso-codes": {"version": "4.15.0-1"}}}))
    dirs = find_help_dirs("nl", [cache])
    assert [(e.relative_to(cache).parts[0], l.relative_to(cache).parts[0]) for e, l in dirs] == [
        ("libreoffice-help-en-us", "libreoffice-help-nl")]
    # default roots: installed help folders (none here) + $LANGZOO_HOME/l10n/nl
    monkeypatch.setenv("LANGZOO_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("langzoo.data.help_pages.HELP_SYSTEM_GLOBS", ())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CatalogWarning)
        ps = help_pairs("nl")
    assert sorted(ps.pairs) == sorted(EXPECTED)
    assert ps.provenance["roots"] == [str(cache)]
    assert ps.provenance["packages"] == {"libreoffice-help-en-us": "4:7.4.7-1", "libreoffice-help-nl": "4:7.4.7-1"}


def test_help_source_load_pairs_and_texts(help_root):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CatalogWarning)
        ps = load_pairs({"kind": "help", "roots": [str(help_root)], "min_words": 3, "max_words": 6}, lang="nl")
        assert sorted(ps.pairs) == sorted(p for p in EXPECTED if 3 <= min(map(len, map(str.split, p))) and
                                          max(map(len, map(str.split, p))) <= 6)
        assert ps.provenance["kind"] == "help" and ps.provenance["files"] == 2
        capped = load_pairs({"kind": "help", "lang": "nl", "roots": [help_root], "cap": 3, "seed": 0}, lang="nl")
        assert len(capped) == 3 and capped.counts["cap"] == 3 and set(capped.pairs) <= set(EXPECTED)
        ts = load_texts({"kind": "help", "roots": [help_root], "cap": 5, "seed": 1}, lang="nl")
        assert len(ts.texts) == 5 and set(ts.texts) <= {l for _, l in EXPECTED}
        assert ts.counts["unique_l"] == 8 and ts.provenance["side"] == "L"
    with pytest.raises(SourceSpecError, match="unknown keys"):
        load_pairs({"kind": "help", "root": [help_root]}, lang="nl")


def test_help_source_through_recipe_layer(help_root):
    from langzoo.recipes.data import resolve_source

    prov = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CatalogWarning)
        pairs = resolve_source({"kind": "help", "roots": [str(help_root)]}, lang="nl", want="pairs", provenance=prov)
        texts = resolve_source({"kind": "help", "roots": [str(help_root)]}, lang="nl", want="texts")
    assert sorted(pairs) == sorted(EXPECTED) and prov["kind"] == "help" and prov["files"] == 2
    assert sorted(texts) == sorted(l for _, l in EXPECTED)


def test_harvest_cli_help_source(tmp_path, help_root):
    parser = __import__("argparse").ArgumentParser(prog="zoo")
    register(parser.add_subparsers(dest="command", required=True))
    out = tmp_path / "nl.jsonl"
    args = parser.parse_args(["data", "harvest", "--lang", "nl", "--source", "help", "--root", str(help_root),
                              "--out", str(out), "--quiet-warnings"])
    assert args.func(args) == 0
    rows = [json.loads(l) for l in out.read_text().splitlines()]
    assert sorted((r["en"], r["nl"]) for r in rows) == sorted(EXPECTED)
    assert json.loads((tmp_path / "nl.jsonl.provenance.json").read_text())["kind"] == "help"


def test_locale_and_package_names():
    assert libreoffice_locale("nl") == "nl" and libreoffice_locale("zh") == "zh-CN"
    assert libreoffice_locale("pt") == "pt" and libreoffice_locale("uz-Cyrl") == "uz-Cyrl"
    nl = language_packages("nl")
    assert "libreoffice-help-nl" in nl and "libreoffice-help-en-us" in nl
    assert "libreoffice-help-zh-cn" in language_packages("zh")
    assert language_packages("uz")[:3] == ["libreoffice-l10n-uz", "firefox-esr-l10n-uz", "thunderbird-l10n-uz"]


def test_keep_member_help_pages():
    nl, zh = resolve_language("nl"), resolve_language("zh")
    assert help_page_locale("usr/share/libreoffice/help/nl/text/shared/01/01020000.html") == "nl"
    assert help_page_locale("usr/share/libreoffice/help/nl/contents.js") is None
    assert keep_member("usr/share/libreoffice/help/nl/text/shared/01/01020000.html", nl)
    assert keep_member("usr/share/libreoffice/help/en-US/text/shared/01/01020000.html", nl)
    assert not keep_member("usr/share/libreoffice/help/de/text/shared/01/01020000.html", nl)
    assert not keep_member("usr/share/libreoffice/help/en-US/contents.js", nl)
    assert not keep_member("usr/share/libreoffice/help/media/screenshots/cui/ui/x/nl/X.png", nl)
    assert not keep_member("usr/share/libreoffice/help/media/files/scalc/nl/pivot.ods", nl)
    assert keep_member("usr/share/libreoffice/help/zh-CN/text/scalc/main.html", zh)
    assert not keep_member("usr/share/libreoffice/help/zh-TW/text/scalc/main.html", zh)
    assert not keep_member("usr/share/doc/libreoffice-help-nl/copyright", nl)
    # catalog rules unchanged
    assert keep_member("usr/share/locale/nl/LC_MESSAGES/gtk30.mo", nl)


FAKE_DPKG_HELP = """#!/bin/sh
# dpkg -x DEB DIR: a LibreOffice help package (pages, scripts, media) named after the .deb
name=$(basename "$2" | cut -d_ -f1)
tag=${name#libreoffice-help-}
[ "$tag" = en-us ] && tag=en-US
h="$3/usr/share/libreoffice/help"
mkdir -p "$h/$tag/text/shared" "$h/media/files/$tag" "$3/usr/share/doc/$name"
case "$tag" in
  en-US) echo '<p id="par_1">Click the button to close the dialog.</p>' > "$h/$tag/text/shared/a.html";;
  *) echo '<p id="par_1">Klik op de knop om het dialoogvenster te sluiten.</p>' > "$h/$tag/text/shared/a.html";;
esac
echo 'var x;' > "$h/$tag/contents.js"
echo png > "$h/media/files/$tag/x.png"
echo c > "$3/usr/share/doc/$name/copyright"
"""


@pytest.fixture
def fake_apt_help(tmp_path, monkeypatch):
    return install_fake_apt(tmp_path, monkeypatch, FAKE_DPKG_HELP)


def test_fetch_keeps_help_pages_and_pairs_them(tmp_path, fake_apt_help):
    cache = tmp_path / "cache"
    pkgs = ["libreoffice-help-nl", "libreoffice-help-en-us", "libreoffice-help-missing"]
    with pytest.warns(FetchWarning, match="libreoffice-help-missing"):
        dirs = fetch_l10n_packages("nl", cache, packages=pkgs, progress=False)
    assert [d.name for d in dirs] == ["libreoffice-help-nl", "libreoffice-help-en-us"]
    kept = sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file())
    assert kept == ["libreoffice-help-en-us/usr/share/libreoffice/help/en-US/text/shared/a.html",
                    "libreoffice-help-nl/usr/share/libreoffice/help/nl/text/shared/a.html", "manifest.json"]
    ps = help_pairs("nl", [cache])
    assert ps.pairs == [("Click the button to close the dialog.", "Klik op de knop om het dialoogvenster te sluiten.")]
    assert ps.provenance["packages"] == {"libreoffice-help-en-us": "1.0-1", "libreoffice-help-nl": "1.0-1"}
    downloads = [l for l in fake_apt_help.read_text().splitlines() if "download" in l]
    with pytest.warns(FetchWarning):
        fetch_l10n_packages("nl", cache, packages=pkgs, progress=False)
    assert [l for l in fake_apt_help.read_text().splitlines() if "download" in l] == downloads  # idempotent
