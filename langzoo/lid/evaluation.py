"""A small built-in LID benchmark: hand-written short and medium sentences.

Nine languages (uz, kk, ky, tr, de, ru, en, es, fr), the same nine meanings in each
(five short sentences of 2-6 words, four medium ones of 8-14 words), plus three
Cyrillic Uzbek sentences for the script check.  Used by the tests (restriction must
not hurt) and by ``zoo detect --benchmark`` to report accuracy and speed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from langzoo.languages import resolve_language

# (canonical code, length class, sentence)
SENTENCES: dict[str, dict[str, list[str]]] = {
    "uzn_Latn": {
        "short": ["Men maktabga boraman.", "Bugun havo juda issiq.", "Kitobni stolga qo'ying.",
                  "Siz qayerda yashaysiz?", "Onam non yopdi."],
        "medium": ["Toshkent Oʻzbekistonning poytaxti va eng katta shahri hisoblanadi.",
                   "Ertaga ertalab biz do'stlarimiz bilan tog'ga sayohatga boramiz.",
                   "Bu dastur fayllarni tezda saqlash va ochish imkonini beradi.",
                   "Bolalar hovlida to'p o'ynab, kechgacha uyga qaytmadilar."],
    },
    "kaz_Cyrl": {
        "short": ["Мен мектепке барамын.", "Бүгін ауа райы өте ыстық.", "Кітапты үстелге қойыңыз.",
                  "Сіз қайда тұрасыз?", "Анам нан пісірді."],
        "medium": ["Астана Қазақстанның астанасы және ірі қалаларының бірі болып табылады.",
                   "Ертең таңертең біз достарымызбен бірге тауға саяхатқа барамыз.",
                   "Бұл бағдарлама файлдарды тез сақтауға және ашуға мүмкіндік береді.",
                   "Балалар аулада доп ойнап, кешке дейін үйге қайтпады."],
    },
    "kir_Cyrl": {
        "short": ["Мен мектепке барам.", "Бүгүн аба ырайы абдан ысык.", "Китепти үстөлгө коюңуз.",
                  "Сиз кайда жашайсыз?", "Апам нан бышырды."],
        "medium": ["Бишкек Кыргызстандын борбору жана эң чоң шаары болуп саналат.",
                   "Эртең эртең менен биз досторубуз менен тоого саякатка барабыз.",
                   "Бул программа файлдарды тез сактоого жана ачууга мүмкүндүк берет.",
                   "Балдар короодо топ ойноп, кечке чейин үйгө кайтышкан жок."],
    },
    "tur_Latn": {
        "short": ["Okula gidiyorum.", "Bugün hava çok sıcak.", "Kitabı masaya koyun.",
                  "Nerede yaşıyorsunuz?", "Annem ekmek pişirdi."],
        "medium": ["Ankara Türkiye'nin başkenti ve en kalabalık ikinci şehridir.",
                   "Yarın sabah arkadaşlarımızla birlikte dağa gezmeye gideceğiz.",
                   "Bu program dosyaları hızlıca kaydetmenizi ve açmanızı sağlar.",
                   "Çocuklar bahçede top oynadılar ve akşama kadar eve dönmediler."],
    },
    "deu_Latn": {
        "short": ["Ich gehe zur Schule.", "Heute ist es sehr heiß.", "Legen Sie das Buch auf den Tisch.",
                  "Wo wohnen Sie?", "Meine Mutter hat Brot gebacken."],
        "medium": ["Berlin ist die Hauptstadt und die größte Stadt Deutschlands.",
                   "Morgen früh fahren wir mit unseren Freunden in die Berge.",
                   "Mit diesem Programm können Sie Dateien schnell speichern und öffnen.",
                   "Die Kinder spielten im Hof Fußball und kamen erst abends nach Hause."],
    },
    "rus_Cyrl": {
        "short": ["Я иду в школу.", "Сегодня очень жарко.", "Положите книгу на стол.",
                  "Где вы живёте?", "Мама испекла хлеб."],
        "medium": ["Москва является столицей и крупнейшим городом России.",
                   "Завтра утром мы с друзьями поедем в горы.",
                   "Эта программа позволяет быстро сохранять и открывать файлы.",
                   "Дети играли во дворе в мяч и не возвращались домой до вечера."],
    },
    "eng_Latn": {
        "short": ["I am going to school.", "It is very hot today.", "Put the book on the table.",
                  "Where do you live?", "My mother baked bread."],
        "medium": ["London is the capital and largest city of the United Kingdom.",
                   "Tomorrow morning we are going to the mountains with our friends.",
                   "This program lets you save and open files quickly.",
                   "The children played football in the yard and did not come home until evening."],
    },
    "spa_Latn": {
        "short": ["Voy a la escuela.", "Hoy hace mucho calor.", "Pon el libro sobre la mesa.",
                  "¿Dónde vives?", "Mi madre hizo pan."],
        "medium": ["Madrid es la capital y la ciudad más grande de España.",
                   "Mañana por la mañana iremos a la montaña con nuestros amigos.",
                   "Este programa le permite guardar y abrir archivos rápidamente.",
                   "Los niños jugaron al fútbol en el patio y no volvieron a casa hasta la noche."],
    },
    "fra_Latn": {
        "short": ["Je vais à l'école.", "Il fait très chaud aujourd'hui.", "Posez le livre sur la table.",
                  "Où habitez-vous ?", "Ma mère a fait du pain."],
        "medium": ["Paris est la capitale et la plus grande ville de France.",
                   "Demain matin, nous irons à la montagne avec nos amis.",
                   "Ce programme vous permet d'enregistrer et d'ouvrir des fichiers rapidement.",
                   "Les enfants ont joué au football dans la cour et ne sont rentrés qu'au soir."],
    },
}

# Uzbek in its Cyrillic orthography: must never be routed to a uzn_Latn pack.
UZBEK_CYRILLIC = [
    "Мен мактабга бораман.",
    "Бугун ҳаво жуда иссиқ.",
    "Тошкент Ўзбекистоннинг пойтахти ва энг катта шаҳри ҳисобланади.",
]


def samples(lengths: Iterable[str] = ("short", "medium")) -> list[tuple[str, str, str]]:
    """``(gold code, length class, text)`` for every built-in sentence of those lengths."""
    wanted = set(lengths)
    return [(code, length, text) for code, by_len in SENTENCES.items()
            for length, texts in by_len.items() if length in wanted for text in texts]


@dataclass
class EvalRow:
    lang: str
    length: str
    total: int
    correct: int
    wrong: dict[str, int]  # predicted code (or "None:<reason>") -> count

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def evaluate(identifier, items: list[tuple[str, str, str]] | None = None) -> list[EvalRow]:
    """Accuracy per (language, length class) of ``identifier`` on ``items`` (default: all).

    With a restriction, a text whose language is outside the allowed set counts as right
    when it gets no language (``lang=None``: it must not be routed to any pack).
    """
    items = items if items is not None else samples()
    detections = identifier.detect([text for _, _, text in items])
    allowed = identifier.allowed
    rows: dict[tuple[str, str], EvalRow] = {}
    for (gold, length, _), det in zip(items, detections):
        row = rows.setdefault((gold, length), EvalRow(gold, length, 0, 0, {}))
        row.total += 1
        expected = gold if allowed is None or gold in allowed else None
        if det.lang == expected:
            row.correct += 1
        else:
            key = det.lang or f"None:{det.reason}"
            row.wrong[key] = row.wrong.get(key, 0) + 1
    return list(rows.values())


def best_seconds(fn: Callable[[], object], repeats: int = 3) -> float:
    """The fastest of ``repeats`` runs of ``fn``, in seconds: the least disturbed one on a
    shared machine (speed tests compare it with a baseline timed the same way)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def throughput(identifier, n: int = 2000, repeats: int = 3) -> float:
    """Texts per second of ``identifier.detect`` on ``n`` mixed built-in sentences (best of ``repeats``)."""
    pool = [text for _, _, text in samples()]
    # Vary the texts a little so that each one is a distinct string.
    texts = [f"{pool[i % len(pool)]} {i}" if i >= len(pool) else pool[i] for i in range(n)]
    return n / best_seconds(lambda: identifier.detect(texts), repeats)


def alias(code: str) -> str:
    """Short alias for a canonical code, for compact tables."""
    try:
        return resolve_language(code).alias
    except Exception:  # unknown code: show it as it is
        return code
