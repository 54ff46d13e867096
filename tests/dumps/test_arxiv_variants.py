"""arXiv pages as people copy them, one fixture a variant (written by us, after the real page
layouts: arXiv's own templates, see /work/notes/issue-21.md):

- ``arxiv_new_accents.txt``: /new of 2026 (blank lines around abstracts), a long author list
  full of accents, a two-line abstract, a cross-list and a replacement, titles with commas and
  titles that read as names;
- ``arxiv_recent_2024.txt``: /recent (no abstracts), day headings, affiliations, "et al.",
  "(author list is unavailable)";
- ``arxiv_pastweek_2023.txt``: /pastweek in the design before 2024 (``Title:``/``Authors:``), the
  old footer straight after the last entry;
- ``arxiv_search_2025.txt``: search results, tags on the identifier line, "▽ More"/"△ Less",
  25 names then "et al. (N additional authors not shown)", "Journal ref:".

Expected values are written from reading the fixtures, never from the parser's output.
"""

from __future__ import annotations

import pytest

from tests.parser_helpers import check, parse_fixture, source_line
from tuireader.dumps import detect
from tuireader.models import LAYOUT_ARXIV

NEW = "arxiv_new_accents.txt"
RECENT = "arxiv_recent_2024.txt"
PASTWEEK = "arxiv_pastweek_2023.txt"
SEARCH = "arxiv_search_2025.txt"

WHISTLERS = [
    "Begoña Rodríguez-Quintana", "Ömer Faruk Kuşçu", "Émilie Lévesque-Bérubé",
    "Nguyễn Thị Thu Hà", "Jürgen Weiß", "Ólafur Þórðarson", "Zoë Ní Bhriain", "Łucja Wąsowska",
    "Søren Ærøe Kjærgaard", "François-Xavier d'Aubigné", "Ana Conceição Araújo",
    "Ngaio Te Rangi", "Dag Ødegård", "Čeněk Šťastný", "Ilse van der Meulen",
    "Joaquín de la Peña y Ruiz",
]  # fmt: skip
CHURN = [
    "Zoë Ó Súilleabháin", "Matías Ibáñez-Fuentes", "Anaïs Lefèvre", "Ugnė Žemaitytė",
    "Şebnem Öztürk", "Håvard Rødsjø", "Tomáš Dvořák", "Gülşen Çelik", "Leilani Kealoha",
    "Miłosz Błaszczyk", "Björk Guðmundsdóttir", "Ðorđe Petrović", "Renée Côté-Bélanger",
    "Oğuzhan Ağaoğlu", "Iñaki Goñi Etxeberria", "Yui Tanaka", "Paulo João Conceição",
    "Thandiwe Mthembu", "Ahmet Yılmaz", "Kirsi Mäkinen",
]  # fmt: skip
DETECTOR = [
    "Aino Mäkelä", "Björn Þórsson", "Çağla Yıldız", "Dóra Szűcs", "Émile Dubé",
    "Fatoumata Diallo", "Grzegorz Brzęczyszczykiewicz", "Hélène Ngô", "Iðunn Jónsdóttir",
    "János Ács", "Kęstutis Šimkus", "Lúcia Gonçalves", "Maëlle Le Bihan", "Nuño Fernández",
    "Øystein Bråthen", "Pål Ødegaard", "Radomír Kříž", "Sinéad Ó Ceallaigh", "Tõnu Jõgi",
    "Ülkü Şahin", "Vojtěch Černý", "Wiebke Jürgensen", "Xoán Pérez-Núñez", "Yasmin Al-Farsi",
    "Zdeněk Řezníček",
]  # fmt: skip


@pytest.mark.parametrize("name", [NEW, RECENT, PASTWEEK, SEARCH])
def test_each_variant_is_an_arxiv_page_read_without_warnings(fixtures, name):
    assert detect((fixtures / name).read_text(encoding="utf-8")) == LAYOUT_ARXIV
    assert parse_fixture(fixtures, name).warnings == []


def test_a_new_page_with_long_accented_names_titles_with_commas_and_markers(fixtures):
    result = parse_fixture(fixtures, NEW)
    assert (result.page_date, result.capture_year) == ("2026-09-08", 2026)
    whistled, tonal, sibilants = result.papers
    check(
        whistled,
        line=17,
        title="Whistled Languages as a Benchmark for Pitch Trackers: Silbo Gomero, Kuşköy and Aas",
        authors=WHISTLERS,
        author_count=16,
        abstract=source_line(fixtures, NEW, 23),
        category="eess.AS",
        subjects="eess.AS cs.CL cs.SD",
        arxiv_comments="11 pages; recordings and code at this https URL",
        published="2026-09-08",
        published_raw="8 September 2026",
        arxiv_id="2609.06001",
    )
    # a cross-list; its title reads like a name, its one author is a name; two abstract lines
    check(
        tonal,
        line=26,
        title="Tonal Contours",
        authors=["Saoirse Ní Dhomhnaill"],
        author_count=1,
        abstract=source_line(fixtures, NEW, 31) + " " + source_line(fixtures, NEW, 32),
        category="cs.CL",
        subjects="cs.CL eess.AS",
        published="2026-09-08",
        published_raw="8 September 2026",
        arxiv_id="2609.05877",
    )
    # replaced (older than the listing: no date), a title that reads as a list of names
    check(
        sibilants,
        line=35,
        title="Sibilants, Stops, Glides",
        authors=["Håkon Brå", "Mónica Iñíguez-Ibáñez"],
        author_count=2,
        abstract=source_line(fixtures, NEW, 41),
        category="eess.AS",
        subjects="eess.AS",
        journal_ref="Invented Journal of Phonetics 41 (2025) 200-219",
        arxiv_id="2407.11223",
    )


def test_a_recent_page_dates_entries_by_their_day_and_has_no_abstracts(fixtures):
    result = parse_fixture(fixtures, RECENT)
    assert (result.page_date, result.capture_year) == ("2024-12-06", 2024)
    churn, hjb, schedules, ensembles, abstention, penguins = result.papers
    friday = {"published": "2024-12-06", "published_raw": "6 Dec 2024", "abstract": ""}
    thursday = {"published": "2024-12-05", "published_raw": "5 Dec 2024", "abstract": ""}
    check(
        churn,
        line=22,
        title="Sparse, Stale, and Noisy: Gradient Compression for Federated Learning Under"
        " Client Churn at Scale",
        authors=CHURN,
        author_count=20,
        category="cs.LG",
        subjects="cs.LG cs.DC",
        arxiv_comments="31 pages, 12 figures; code at this https URL",
        arxiv_id="2412.05101",
        **friday,
    )
    check(
        hjb,
        line=27,
        title="Hamilton, Jacobi, Bellman",  # reads as names; it stands where the title stands
        authors=["Oskar Lindqvist", "Ayşe Demirci"],
        author_count=2,
        category="stat.ML",
        subjects="stat.ML cs.LG math.OC",
        arxiv_comments="expository; 22 pages",
        arxiv_id="2412.05022",
        **friday,
    )
    check(
        schedules,
        line=32,
        title="Learning Rate Schedules That Survive Distribution Shift Without Retuning on"
        " Every New Dataset",
        authors=["Wiremu Ngata"],
        author_count=1,
        category="cs.LG",
        subjects="cs.LG",
        journal_ref="Transactions on Invented Learning 3 (2024) 112-130",
        arxiv_id="2412.04987",
        **friday,
    )
    check(
        ensembles,
        line=37,
        title="Deep Ensembles Revisited",
        authors=["The Kestrel Collaboration", "Imke Vos", "Raúl Peña Ortega"],
        authors_truncated=True,  # "et al.": how many more, the page does not say
        category="cs.LG",
        subjects="cs.LG stat.ML",
        arxiv_id="2412.04950",
        **friday,
    )
    check(
        abstention,
        line=42,
        title="Calibrated Abstention for Small Classifiers",
        category="cs.LG",
        subjects="cs.LG",
        arxiv_id="2412.04012",
        **thursday,
    )
    check(
        penguins,
        line=46,
        title="Counting Penguins from Orbit with Weak Labels",
        authors=["Freya Albrechtsen", "Kaito Mori"],  # affiliations are not names
        author_count=2,
        category="cs.CV",
        subjects="cs.CV cs.LG",
        arxiv_comments="9 pages",
        arxiv_id="2412.03999",
        **thursday,
    )


def test_a_pastweek_page_of_the_older_design_with_its_labels(fixtures):
    result = parse_fixture(fixtures, PASTWEEK)
    assert (result.page_date, result.capture_year) == ("2023-12-01", 2023)
    assert [
        (p.line, p.arxiv_id, p.title, p.authors, p.subjects, p.arxiv_comments, p.journal_ref,
         p.published, p.abstract)
        for p in result.papers
    ] == [
        (17, "2312.00412", "Liquidity, Volatility, and Spreads in Thin Markets",
         ["Ingrid Haugen", "Tomás Ó Briain", "Chidi Okonkwo"], "q-fin.TR q-fin.ST", "24 pages",
         None, "2023-12-01", ""),
        (22, "2312.00077", "Order Books as Graphs", ["Mei Watanabe"], "cs.LG q-fin.TR", None,
         None, "2023-12-01", ""),
        (27, "2311.17730", "Market Making with Stale Quotes, Revisited",
         ["Jean-Baptiste Lefèvre", "Zsófia Kovács-Tóth"], "q-fin.TR", None,
         "Invented Journal of Microstructure 9 (2023) 41-67", "2023-11-30", ""),
        # the old footer right after the last entry is not its abstract
        (33, "2311.16021", "Kyle, Back, Glosten", ["Rafaela Duarte"], "q-fin.TR q-fin.MF",
         "lecture notes, 60 pages", None, "2023-11-28", ""),
    ]  # fmt: skip


def test_search_results_with_more_and_less_toggles(fixtures):
    result = parse_fixture(fixtures, SEARCH)
    assert result.page_date is None
    graphs, queue, detector, models = result.papers
    check(
        graphs,
        line=25,
        title="Order Books as Graphs, Again",
        authors=["Mei Watanabe", "Lukas Brandstätter"],
        author_count=2,
        # the whole abstract ("… △ Less"), not the start shown before "▽ More"
        abstract=source_line(fixtures, SEARCH, 29).removesuffix(" △ Less"),
        category="q-fin.TR",
        subjects="q-fin.TR cs.LG",
        arxiv_comments="18 pages, 7 figures",
        published="2025-03-03",
        published_raw="3 March, 2025",
        arxiv_id="2503.01234",
    )
    # copied without opening "▽ More": the start of the abstract is all the page shows
    check(
        queue,
        line=32,
        title="Queue Position and Fill Probability",
        authors=["Ngozi Eze"],
        author_count=1,
        abstract=source_line(fixtures, SEARCH, 36).removeprefix("Abstract: ").removesuffix(
            "  ▽ More"
        ),
        category="q-fin.ST",
        subjects="q-fin.ST",
        journal_ref="Invented Quarterly of Market Microstructure 4 (2025) 1-19",
        published="2025-02-20",
        published_raw="20 February, 2025",
        arxiv_id="2502.04567",
    )
    assert queue.abstract.endswith("fill probabilities…")
    # opened: "Abstract:" then the whole text and "△ Less"; 25 names, then 512 not shown
    check(
        detector,
        line=39,
        title="A Measurement of Order-Book-Like Queues in Detector Readout Buffers",
        authors=DETECTOR,
        authors_truncated=True,
        author_count=25 + 512,
        abstract=source_line(fixtures, SEARCH, 42).removeprefix("Abstract: ").removesuffix(
            " △ Less"
        ),
        category="hep-ex",
        subjects="hep-ex physics.data-an",
        published="2024-11-01",
        published_raw="1 November, 2024",
        arxiv_id="2411.00042",
    )
    assert (models.arxiv_id, models.title, models.authors) == (
        "2409.11111", "Hawkes, Heston, Hull", ["Élodie Marchand"],
    )  # fmt: skip
    assert (models.subjects, models.arxiv_comments) == ("math.PR q-fin.MF", "lecture notes")
    for paper in result.papers:
        assert "▽" not in paper.abstract and "△" not in paper.abstract
