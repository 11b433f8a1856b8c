"""Demo content for the projects app: the funding programmes and the five seed projects, in cs and en.

The facts come from the project descriptions in the seeds. Where a seed does
not state a fact (a registration number, an amount, the dates), the page says
so in its "note on the facts" instead of inventing a real-looking figure.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import RichText

from demo.attendance import LEADER_ATTENDANCES
from demo.events import AUDIENCES, _snippet
from demo.helpers import locale, upsert_child, upsert_translation
from events.models import Audience
from projects.models import Currency, FunderKind, FundingProgramme, ProjectIndexPage, ProjectPage, ProjectStatus
from projects.obligations import project_obligations_update

# The stand-in logo files (drawn by `python -m demo.standin_logos`).
LOGOS_DIR = Path(__file__).resolve().parent / "logos"

LOGOS = {
    "opz": ("OPZ a MPSV – zástupné logo (stand-in)", "standin-opz-mpsv.png"),
    "oppraha": ("OP Praha – pól růstu ČR – zástupné logo (stand-in)", "standin-op-praha.png"),
    "norway": ("Norway Grants – zástupné logo (stand-in)", "standin-norway-grants.png"),
    "acf": ("Active Citizens Fund – zástupné logo (stand-in)", "standin-active-citizens-fund.png"),
}

# Each mechanism has its own statement (Communication and Design Manual): only the EEA Grants and the
# Active Citizens Fund (funded from the EEA Grants in the Czech Republic) name Iceland and Liechtenstein.
ACF_STATEMENT = {
    "cs": "Projekt {project} je podpořen z Islandu, Lichtenštejnska a Norska z Fondů EHP v rámci Active Citizens "
    "Fund – Fondu pro nestátní neziskové organizace.",
    "en": "The project {project} is supported by Iceland, Liechtenstein and Norway through the EEA Grants, "
    "in the Active Citizens Fund.",
}
NORWAY_STATEMENT = {
    "cs": "Podpořeno Norskem z Norských fondů.",
    "en": "Supported by Norway through the Norway Grants.",
}

PROGRAMMES = {
    "opzplus": {
        "kind": FunderKind.EU_2021_2027,
        "short_name": "OPZ+",
        "pattern": r"CZ\.03\.\d{2}\.\d{2}/\d{2}/\d{2}_\d{3}/\d{7}",
        "example": "CZ.03.02.01/00/22_008/0000016",
        "link": "https://www.esfcr.cz/",
        "logo": None,
        "cs": {
            "name": "Operační program Zaměstnanost plus",
            "fund_name": "Evropský sociální fond plus",
            "statement": "Spolufinancováno Evropskou unií",
            "logo_alt": "",
        },
        "en": {
            "name": "Employment Plus Operational Programme",
            "fund_name": "European Social Fund Plus",
            "statement": "Co-funded by the European Union",
            "logo_alt": "",
        },
    },
    "opz": {
        "kind": FunderKind.EU_2014_2020,
        "short_name": "OPZ",
        "pattern": r"CZ\.03\.\d\.\d{2}/0\.0/0\.0/\d{2}_\d{3}/\d{7}",
        "example": "CZ.03.2.60/0.0/0.0/16_052/0009098",
        "link": "https://www.esfcr.cz/",
        "logo": "opz",
        "cs": {
            "name": "Operační program Zaměstnanost",
            "fund_name": "Evropský sociální fond",
            # 2014–2020 has no "co-funded" statement: the Union and the fund are named beside the emblem.
            "statement": "",
            "logo_alt": "Operační program Zaměstnanost a Ministerstvo práce a sociálních věcí (zástupné logo)",
        },
        "en": {
            "name": "Operational Programme Employment",
            "fund_name": "European Social Fund",
            "statement": "",
            "logo_alt": "Operational Programme Employment and Ministry of Labour and Social Affairs (stand-in logo)",
        },
    },
    "oppraha": {
        "kind": FunderKind.EU_2014_2020,
        "short_name": "OP PPR",
        "pattern": r"CZ\.07\.\d\.\d{2}/0\.0/0\.0/\d{2}_\d{3}/\d{7}",
        "example": "CZ.07.3.63/0.0/0.0/16_046/0002319",
        "link": "https://penizeproprahu.cz/",
        "logo": "oppraha",
        "cs": {
            "name": "Operační program Praha – pól růstu ČR",
            "fund_name": "Evropský sociální fond",
            "statement": "",
            "logo_alt": "Operační program Praha – pól růstu ČR (zástupné logo)",
        },
        "en": {
            "name": "Operational Programme Prague – Growth Pole of the Czech Republic",
            "fund_name": "European Social Fund",
            "statement": "",
            "logo_alt": "Operational Programme Prague – Growth Pole of the Czech Republic (stand-in logo)",
        },
    },
    "acf": {
        "kind": FunderKind.ACTIVE_CITIZENS_FUND,
        "short_name": "ACF",
        "pattern": r"CZ-ACTIVECITIZENS-\d{4}",
        "example": "CZ-ACTIVECITIZENS-0045",
        "link": "https://www.activecitizensfund.cz/",
        "logo": "acf",
        "cs": {
            "name": "Fondy EHP 2014–2021 – Fond pro nestátní neziskové organizace (Active Citizens Fund)",
            "fund_name": "Fondy EHP",
            "statement": ACF_STATEMENT["cs"],
            "logo_alt": "Active Citizens Fund (zástupné logo)",
        },
        "en": {
            "name": "EEA Grants 2014–2021 – Active Citizens Fund",
            "fund_name": "EEA Grants",
            "statement": ACF_STATEMENT["en"],
            "logo_alt": "Active Citizens Fund (stand-in logo)",
        },
    },
    "norway": {
        "kind": FunderKind.NORWAY_GRANTS,
        "short_name": "NG",
        "pattern": r"CZ-[A-Z]+-\d{4}",
        "example": "CZ-LOCALDEVELOPMENT-0031",
        "link": "https://www.eeagrants.cz/",
        "logo": "norway",
        "cs": {
            "name": "Norské fondy 2014–2021",
            "fund_name": "Norské fondy",
            "statement": NORWAY_STATEMENT["cs"],
            "logo_alt": "Norway Grants – Norské fondy (zástupné logo)",
        },
        "en": {
            "name": "Norway Grants 2014–2021",
            "fund_name": "Norway Grants",
            "statement": NORWAY_STATEMENT["en"],
            "logo_alt": "Norway Grants (stand-in logo)",
        },
    },
}


def _p(html: str) -> RichText:
    return RichText(html)


def _figure(
    number: int, label: str, note: str = "", measure: str = "", at_least: int | None = None
) -> tuple[str, dict]:
    """A result figure; with a measure, the number is the target and the achieved figure is counted from attendance."""
    return (
        "figure",
        {"number": Decimal(number), "label": label, "note": note, "measure": measure, "min_attendances": at_least},
    )


def _text(html: str) -> tuple[str, RichText]:
    return ("text", RichText(html))


def _aims(*items: str) -> list[tuple[str, str]]:
    return [("aim", item) for item in items]


PROJECTS = [
    {
        "slug": ("komunitni-centrum-vltavotynska", "vltavotynsko-community-centre"),
        "programme": "opzplus",
        "registration_number": "CZ.03.02.01/00/22_008/0000016",
        "start_date": dt.date(2023, 1, 1),
        "end_date": dt.date(2025, 12, 31),
        "status_override": "",
        "total_cost": None,
        "grant_amount": None,
        "currency": Currency.CZK,
        "audiences": ["dospeli", "rodiny", "seniori"],
        "contact_name": "Jana Dvořáková",
        "contact_email": "info@kc-soused.example",
        "contact_phone": "+420 385 000 123",
        "cs": {
            "title": "Komunitní centrum Vltavotýnska",
            "promoter": "MAS VLTAVA, z.s.",
            "partners": "",
            "priority_axis": "Specifický cíl 2.1 – Aktivní začleňování",
            "call": "Komunitní centra (výzva MAS VLTAVA v OPZ+)",
            "short_description": "Smyslem projektu je aktivizace komunity k řešení problémů osob sociálně vyloučených či "
            "ohrožených sociálním vyloučením, osob sociálně slabších a znevýhodněných, které žijí v prostředí venkova, "
            "prostřednictvím komunitní práce.",
            "description": _p(
                "<p>Od začátku ledna 2023 realizujeme projekt Komunitní centrum Vltavotýnska, který je financován "
                "z Evropské unie, díky čemuž můžeme naše služby poskytovat zdarma všem občanům Vltavotýnska.</p>"
                "<p>Setkávání členů komunity probíhá za účelem realizace sociálních, vzdělávacích, kulturních a dalších "
                "aktivit s cílem zlepšit sociální situaci jednotlivců a komunity jako celku. Předpokladem komunitní práce "
                "je aktivní účast členů komunity na všech fázích projektu.</p>"
            ),
            "aims": _aims(
                "1 komunitní centrum jako udržitelný a fungující prostor na území MAS Vltava v období 1. 1. 2023 – "
                "31. 12. 2025 pro integraci osob ohrožených sociálním vyloučením a osob sociálně vyloučených.",
                "15 osob z cílových skupin se stane lídry komunity do 31. 12. 2025: převezmou vlastní iniciativu a budou "
                "garanty realizace komunitních aktivit v centru.",
                "Proběhne 10 setkání k řešení společných témat a problémů do 31. 12. 2025, cílové skupiny budou "
                "participovat na věcech veřejných.",
            ),
            "activities": _p(
                "<ul><li>intenzivně využívaný prostor pro definování problémů a potřeb komunity a setkávání za účelem "
                "jejich řešení,</li><li>konkrétní poradenství a psychosociální podpora,</li><li>komunitní programy "
                "s pomocí nových lídrů z řad komunity,</li><li>spolupráce se starosty obcí, NNO, zaměstnavateli a "
                "poskytovateli sociálních služeb.</li></ul>"
            ),
            "expected_results": [
                _figure(1, "komunitní centrum", "udržitelný a fungující prostor"),
                _figure(
                    15,
                    "lídrů komunity",
                    "do 31. 12. 2025; počítáme lidi přítomné alespoň na 6 setkáních",
                    "regular_participants",
                    LEADER_ATTENDANCES,
                ),
                _figure(10, "setkání k řešení společných témat", "do 31. 12. 2025", "sessions"),
                _text(
                    "<p>Bude nastavena vzájemná spolupráce členů komunity a zvýšena jejich schopnost zajistit své "
                    "základní i společenské potřeby. Vznikne skupina spolupracovníků komunitního centra a skupina osob, "
                    "které budou spolupracovat s poskytovateli sociálních služeb.</p>"
                ),
            ],
            "facts_note": "Zdroj neuvádí celkové náklady ani výši dotace, proto je neuvádíme.",
            "contact_role": "koordinátorka komunitního centra",
        },
        "en": {
            "title": "Vltavotýnsko Community Centre",
            "promoter": "MAS VLTAVA, z.s.",
            "partners": "",
            "priority_axis": "Specific objective 2.1 – Active inclusion",
            "call": "Community centres (MAS VLTAVA call in OPZ+)",
            "short_description": "The project activates the community, through community work, to solve the problems "
            "of people who are socially excluded or at risk of social exclusion, and of people with low incomes or "
            "disadvantages who live in the countryside.",
            "description": _p(
                "<p>Since the beginning of January 2023 we have been running the Vltavotýnsko Community Centre project. "
                "It is funded by the European Union, so our services are free for everyone in the Vltavotýnsko area.</p>"
                "<p>Members of the community meet for social, educational, cultural and other activities that improve "
                "the situation of each person and of the community as a whole. Community work relies on the active "
                "participation of community members in every stage of the project.</p>"
            ),
            "aims": _aims(
                "1 community centre as a lasting, working place in the MAS Vltava area from 1 January 2023 to "
                "31 December 2025 for the inclusion of people who are socially excluded or at risk of it.",
                "15 people from the target groups become community leaders by 31 December 2025: they take the "
                "initiative and guarantee community activities in the centre.",
                "10 meetings on shared topics and problems by 31 December 2025, so that the target groups take part "
                "in public matters.",
            ),
            "activities": _p(
                "<ul><li>a busy place to name the community's problems and needs and to meet to solve them,</li>"
                "<li>specific counselling and psychosocial support,</li><li>community programmes run with new leaders "
                "from the community,</li><li>cooperation with mayors, NGOs, employers and social service providers."
                "</li></ul>"
            ),
            "expected_results": [
                _figure(1, "community centre", "a lasting, working place"),
                _figure(
                    15,
                    "community leaders",
                    "by 31 December 2025; people present at 6 meetings or more",
                    "regular_participants",
                    LEADER_ATTENDANCES,
                ),
                _figure(10, "meetings on shared topics", "by 31 December 2025", "sessions"),
                _text(
                    "<p>Community members will work together and be better able to meet their basic and social needs. "
                    "A group of community centre volunteers will form, and a group of people who work with social "
                    "service providers.</p>"
                ),
            ],
            "facts_note": "The source does not state the total cost or the grant, so we do not show them.",
            "contact_role": "community centre coordinator",
        },
    },
    {
        "slug": ("asistencni-centrum-v-janove", "assistance-centre-in-janov"),
        "programme": "acf",
        "registration_number": "CZ-ACTIVECITIZENS-0045",
        "start_date": None,
        "end_date": None,
        "status_override": ProjectStatus.COMPLETED,
        "total_cost": Decimal("126095"),
        "grant_amount": None,
        "currency": Currency.EUR,
        "audiences": ["dospeli", "deti", "rodiny"],
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "cs": {
            "title": "Asistenční centrum v Janově",
            "promoter": "Oblastní charita Most",
            "partners": "",
            "priority_axis": "",
            "call": "",
            "short_description": "Cílem projektu je posílit znevýhodněné obyvatele vyloučené lokality Janov v Litvínově, "
            "aby řešili své vlastní i komunitní problémy, předcházeli sociálnímu vyloučení a podíleli se na "
            "rozhodování o věcech veřejných.",
            "description": _p(
                "<p>Zapojením dospělých do činnosti Asistenčního centra v Janově zvyšujeme jejich kompetence, pomáháme "
                "komunitě zlepšit nebo obnovit schopnost lépe fungovat a přispíváme ke stabilizaci komunity a jejích "
                "členů. Projekt stojí na třech programech: P1 – jednotlivci, P2 – komunita, P3 – sociální síť; "
                "doplňkové aktivity jsou určeny dětem.</p>"
            ),
            "aims": _aims(
                "aktivně přispět ke zlepšení situace v lokalitě, kde lidé žijí",
                "zlepšit praktické dovednosti a zvýšit kompetence jednotlivců",
                "posílit sebedůvěru, komunikační dovednosti a sociální mobilitu",
                "naučit se vyhledávat a využívat přesné informace",
            ),
            "activities": _p(
                "<ul><li>informační a praktické aktivity pro dospělé Romy a sociálně slabší dospělé z majority,</li>"
                "<li>aktivizace jednotlivců a komunity v rozhodování, participaci a pořádání akcí,</li>"
                "<li>budování sociální sítě aktérů ve vyloučené lokalitě,</li><li>akce pro děti a rodiče.</li></ul>"
            ),
            "achieved_results": [
                _figure(95, "zapojených dospělých účastníků"),
                _figure(3, "hlavní programy (jednotlivci, komunita, sociální síť)"),
                _text(
                    "<p>Podařilo se vytvořit fungující jádrovou skupinu, která se aktivně zapojuje do aktivit – "
                    "v lokalitě s vysokou fluktuací obyvatel je to velký úspěch. Akce pro děti měly dlouhodobý "
                    "pozitivní dopad: rodiče tráví čas s dětmi smysluplně a posilují se sociální vazby v komunitě.</p>"
                ),
            ],
            "facts_note": "Částka €126 095 jsou konečné celkové náklady projektu. Zdroj neuvádí období realizace "
            "ani výši grantu; stav projektu je podle zdroje „ukončený“.",
            "contact_role": "",
        },
        "en": {
            "title": "Assistance Centre in Janov",
            "promoter": "Oblastní charita Most",
            "partners": "",
            "priority_axis": "",
            "call": "",
            "short_description": "The project empowers disadvantaged people in the excluded locality of Janov in "
            "Litvínov to solve their own and their community's problems, to prevent social exclusion and to take "
            "part in decisions on public matters.",
            "description": _p(
                "<p>By involving adults in the activities of the Assistance Centre in Janov, we increase their "
                "competences, help the community to improve or restore its ability to function and contribute to "
                "stabilising the community and its members. The project rests on three programmes: P1 – individuals, "
                "P2 – community, P3 – social network; supplementary activities are for children.</p>"
            ),
            "aims": _aims(
                "actively contribute to improving the situation in the locality where people live",
                "improve practical skills and increase individual competences",
                "strengthen self-confidence, communication skills and social mobility",
                "learn to find and use accurate information",
            ),
            "activities": _p(
                "<ul><li>information and practical activities for adult Roma and socially weaker adults of the "
                "majority,</li><li>activating individuals and the community in decision-making, participation and "
                "organising events,</li><li>building a social network of actors in the excluded locality,</li>"
                "<li>events for children and parents.</li></ul>"
            ),
            "achieved_results": [
                _figure(95, "adult participants involved"),
                _figure(3, "main programmes (individuals, community, social network)"),
                _text(
                    "<p>The project established a functioning core group that takes an active part in the activities – "
                    "a great achievement in a housing estate with a high turnover of residents. The events for children "
                    "had a lasting positive impact: parents spend meaningful time with their children and social bonds "
                    "in the community grow stronger.</p>"
                ),
            ],
            "facts_note": "€126,095 is the final total cost of the project. The source does not state the project "
            "period or the grant; its status there is “completed”.",
            "contact_role": "",
        },
    },
    {
        "slug": ("nase-cesta-v-nasich-rukou", "our-path-in-our-hands"),
        "programme": "opz",
        "registration_number": "CZ.03.2.60/0.0/0.0/16_052/0009098",
        "start_date": dt.date(2019, 1, 1),
        "end_date": dt.date(2019, 12, 31),
        "status_override": "",
        "total_cost": None,
        "grant_amount": Decimal("3783392.50"),
        "currency": Currency.CZK,
        "audiences": ["dospeli", "rodiny"],
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "cs": {
            "title": "Naše cesta v našich rukou",
            "promoter": "Diakonie ČCE – středisko Vsetín",
            "partners": "",
            "priority_axis": "Prioritní osa 2 – Sociální začleňování a boj s chudobou",
            "investment_priority": "2.1 Aktivní začleňování",
            "call": "",
            "short_description": "Cílem projektu je zvýšit ve 2 vsetínských vyloučených lokalitách schopnost komunit "
            "řešit své problémy vlastními silami. Vzniknou 2 jádrové skupiny a zázemí pro komunitní práci v lokalitách.",
            "description": _p(
                "<p>Zvýší se samoorganizovanost komunit a komunikační a organizační kompetence jejich členů, budou "
                "realizovány aktivity směrem k majoritní společnosti i dovnitř komunit. Projekt zvýší zapojení členů "
                "komunit do oficiálních platforem a společnosti města. Projekt bude evaluován, v závěru bude zveřejněna "
                "zpráva o jeho dopadech.</p><p>Cílová skupina: osoby žijící v sociálně vyloučených lokalitách.</p>"
            ),
            "aims": _aims(
                "zvýšit v komunitách lokality Poschla a lokality Jiráskova 409 schopnost obyvatel vlastními silami a "
                "soustavněji řešit problémy, které jsou pro ně důležité",
                "zvýšit zapojení členů komunit do oficiálních platforem města a do společnosti města",
                "zvýšit komunikační kompetence a organizační schopnosti členů komunit",
                "vytvořit systém komunikace uvnitř jednotlivých komunit a mezi komunitami",
            ),
            "activities": _p(
                "<ul><li>Zvyšování samoorganizování</li><li>Budování mostů mezi členy komunit a majoritní "
                "společností</li><li>Podpora při řešení problémů komunit</li><li>Zvyšování kompetencí členů "
                "komunit</li></ul>"
            ),
            "expected_results": [
                _figure(2, "jádrové skupiny", "v lokalitách Poschla a Jiráskova 409"),
                _figure(
                    1, "oficiální platforma ovlivňování veřejných věcí", "minimálně, s účastí členů jádrové skupiny"
                ),
                _text(
                    "<p>Zvýší se počet osob zapojených do komunitních akcí a aktivit, jak v lokalitách samotných, "
                    "tak ve městě. Evaluační zpráva zachycuje vývoj komunitní práce v lokalitách Poschla a Jiráskova.</p>"
                ),
            ],
            "facts_note": "3 783 392,50 Kč je celková plánovaná výše dotace. Celkové náklady zdroj neuvádí.",
            "contact_role": "",
        },
        "en": {
            "title": "Our Path in Our Hands",
            "promoter": "Diakonie ČCE – středisko Vsetín",
            "partners": "",
            "priority_axis": "Priority axis 2 – Social inclusion and combating poverty",
            "investment_priority": "2.1 Active inclusion",
            "call": "",
            "short_description": "The project strengthens the ability of communities in 2 excluded localities of Vsetín "
            "to solve their problems by their own efforts. 2 core groups and a base for community work will be set up.",
            "description": _p(
                "<p>Communities will organise themselves better and their members will gain communication and "
                "organisational skills; activities will reach both the majority society and the communities "
                "themselves. Members will take a greater part in the town's official platforms. The project is "
                "evaluated and a report on its impact is published at the end.</p>"
                "<p>Target group: people living in socially excluded localities.</p>"
            ),
            "aims": _aims(
                "strengthen the ability of residents of Poschla and Jiráskova 409 to solve the problems that matter "
                "to them, by their own efforts and more consistently",
                "increase community members' involvement in the town's official platforms and in its society",
                "improve community members' communication and organisational skills",
                "build a system of communication within and between the communities",
            ),
            "activities": _p(
                "<ul><li>Building self-organisation</li><li>Building bridges between the communities and the majority "
                "society</li><li>Support in solving the communities' problems</li><li>Raising community members' "
                "competences</li></ul>"
            ),
            "expected_results": [
                _figure(2, "core groups", "in Poschla and Jiráskova 409"),
                _figure(1, "official platform for public matters", "at least, with core group members taking part"),
                _text(
                    "<p>More people will take part in community events and activities, in the localities and in the "
                    "town. The evaluation report describes how community work developed in Poschla and Jiráskova.</p>"
                ),
            ],
            "facts_note": "CZK 3,783,392.50 is the total planned grant. The source does not state the total cost.",
            "contact_role": "",
        },
    },
    {
        "slug": ("skupina-lidru-v-dome", "house-leaders-group"),
        "programme": "norway",
        "registration_number": "CZ-LOCALDEVELOPMENT-0031",
        "start_date": None,
        "end_date": None,
        "status_override": ProjectStatus.COMPLETED,
        "total_cost": None,
        "grant_amount": None,
        "currency": Currency.EUR,
        "audiences": ["rodiny", "dospeli"],
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "cs": {
            "title": "Skupina lídrů v domě – EUROTOPIA.CZ",
            "promoter": "EUROTOPIA.CZ, o.p.s.",
            "partners": "",
            "priority_axis": "",
            "call": "",
            "short_description": "V domě s 23 byty jsme spolu s obyvateli vytvořili plán podpory obyvatel a rodin "
            "při problémech v komunikaci a ve vztazích a bezpečné prostředí pro sdílení zkušeností a podpory.",
            "description": _p(
                "<p>Příklad dobré praxe EUROTOPIA.CZ, o.p.s. Skupina lídrů vytvářela prostor pro otevřenou komunikaci "
                "o komunitních, sousedských, rodinných a přátelských tématech a nabízela emoční podporu. Komunitní "
                "pracovník mohl, ale nemusel být při setkání facilitátorem.</p>"
            ),
            "aims": _aims(
                "snížit izolaci rodin v obtížné situaci",
                "vytvořit síť vzájemné podpory mezi obyvateli domu",
            ),
            "activities": _p(
                "<ul><li>Vytvoření podpůrné skupiny lídrů</li><li>Pravidelná setkání, s komunitními pracovníky "
                "i bez nich</li><li>Propojení s odbornou pomocí: sociální pracovníci, poradenství, "
                "pedagogicko-psychologická a právní poradna</li></ul>"
            ),
            "achieved_results": [
                _figure(23, "bytů v domě zapojených do plánu"),
                _text(
                    "<p>Podpora obyvatel vedla k posílení vztahů mezi obyvateli domu a k vytvoření sítě, která přesahuje "
                    "běžné sousedské vztahy. Rodiny, které se ocitly v potížích, dostaly podporu od sousedů, což snížilo "
                    "stigma a izolaci.</p>"
                ),
            ],
            "facts_note": "Zdroj uvádí jen financování z Norských fondů 2014–2021. Registrační číslo, období a částky "
            "neuvádí: číslo CZ-LOCALDEVELOPMENT-0031 je ilustrační číslo ve formátu programu pro ukázkový web, nikoli skutečné číslo projektu.",
            "contact_role": "",
        },
        "en": {
            "title": "House Leaders' Group – EUROTOPIA.CZ",
            "promoter": "EUROTOPIA.CZ, o.p.s.",
            "partners": "",
            "priority_axis": "",
            "call": "",
            "short_description": "In a building with 23 flats we made a plan with the residents to support residents and "
            "families with communication and relationship problems, and a safe place to share experience and support.",
            "description": _p(
                "<p>An example of good practice by EUROTOPIA.CZ, o.p.s. The leaders' group created a space for open "
                "communication about community, neighbourhood, family and friendship issues and offered emotional "
                "support. A community worker may or may not have facilitated the meetings.</p>"
            ),
            "aims": _aims(
                "reduce the isolation of families in difficult situations",
                "create a network of mutual support between the residents of the house",
            ),
            "activities": _p(
                "<ul><li>Creating a leadership support group</li><li>Regular meetings, with and without community "
                "workers</li><li>Linking to professional support: social workers, counselling, educational-"
                "psychological and legal counselling</li></ul>"
            ),
            "achieved_results": [
                _figure(23, "flats in the house taking part"),
                _text(
                    "<p>The support of the residents strengthened relationships in the house and built a network that "
                    "goes beyond ordinary neighbourly relations. Families in trouble received support from their "
                    "neighbours, which reduced stigma and isolation.</p>"
                ),
            ],
            "facts_note": "The source only says the project was funded by Norway Grants 2014–2021. It gives no "
            "registration number, period or amounts: CZ-LOCALDEVELOPMENT-0031 is an illustrative number in the "
            "programme's format for this demo site, not the project's real number.",
            "contact_role": "",
        },
    },
    {
        "slug": ("podpora-cinnosti-komunitnich-center-praha", "prague-community-centre-support"),
        "programme": "oppraha",
        "registration_number": "CZ.07.3.63/0.0/0.0/16_046/0002319",
        "start_date": None,
        "end_date": None,
        "status_override": ProjectStatus.COMPLETED,
        "total_cost": None,
        "grant_amount": None,
        "currency": Currency.CZK,
        "audiences": ["lide-bez-domova", "cizinci", "rodiny"],
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "cs": {
            "title": "Podpora činnosti komunitních center v Praze",
            "promoter": "Neziskové organizace, příjemci podpory (např. KC Jako doma, KC a zahrada RESTO, KC Vrchlická, "
            "Interkulturní centrum Praha-Libuš, Komunitní centrum InBáze 2020)",
            "partners": "Magistrát hlavního města Prahy (zadavatel případové studie č. 9)\nErnst & Young, s.r.o. "
            "(zpracovatel případové studie)",
            "priority_axis": "",
            "call": "Projekty podpory provozu komunitních center",
            "short_description": "Rozvoj komunitních center, která umožní funkční propojení služeb pro osoby z cílových "
            "skupin v nepříznivé sociální situaci a zároveň vytvoří místo pro setkávání s širší komunitou obyvatel.",
            "description": _p(
                "<p>Podle případové studie č. 9 (listopad 2022) vznik komunitních center umožnil klientům účastnit se "
                "akcí společně s obyvateli z okolí. To zvyšovalo sebevědomí klientů a snižovalo stigma ze strany "
                "společnosti. Komunikace s městskými částmi, sociálními odbory, městskou policií a poskytovateli "
                "služeb se díky centrům zlepšila.</p>"
            ),
            "aims": _aims(
                "vytvoření nebo rozvoj komunitního centra a zajištění provozu, včetně návazných služeb",
                "setkávání cílové skupiny s veřejností prostřednictvím akcí a aktivit komunitního centra",
            ),
            "activities": _p(
                "<ul><li>provoz komunitních center pro lidi bez přístřeší, lidi po výkonu trestu, lidi se zdravotním "
                "postižením, příslušníky menšin a migranty a rodiny s dětmi</li><li>společné akce klientů a "
                "obyvatel z okolí</li></ul>"
            ),
            "achieved_results": [
                _figure(5, "hodnocených komunitních center"),
                _text(
                    "<p>Aktivní zapojování osob z cílových skupin se lépe dařilo tam, kde nebylo sociální vyloučení tak "
                    "zásadní. Projekty byly veřejností přijaty kladně a do center dochází kromě klientů i občané "
                    "z okolí.</p>"
                ),
            ],
            "facts_note": "Zdrojem je případová studie Magistrátu hl. m. Prahy, která neuvádí registrační číslo, "
            "období ani částky. Číslo CZ.07.3.63/0.0/0.0/16_046/0002319 je ilustrační číslo ve formátu programu pro ukázkový web, nikoli skutečné číslo projektu.",
            "contact_role": "",
        },
        "en": {
            "title": "Support for Community Centres in Prague",
            "promoter": "Non-profit organisations receiving support (e.g. KC Jako doma, KC a zahrada RESTO, "
            "KC Vrchlická, Praha-Libuš Intercultural Centre, InBáze 2020 Community Centre)",
            "partners": "City of Prague (commissioned case study no. 9)\nErnst & Young, s.r.o. (author of the case "
            "study)",
            "priority_axis": "",
            "call": "Projects supporting the running of community centres",
            "short_description": "Developing community centres that link services for people from the target groups "
            "in a difficult social situation and at the same time create a place to meet the wider local community.",
            "description": _p(
                "<p>According to case study no. 9 (November 2022), the new community centres let clients take part in "
                "events together with local residents. This raised clients' self-confidence and reduced stigma. "
                "Communication with city districts, social departments, the municipal police and service providers "
                "improved thanks to the centres.</p>"
            ),
            "aims": _aims(
                "create or develop a community centre and keep it running, including follow-up services",
                "bring the target group together with the public through the centre's events and activities",
            ),
            "activities": _p(
                "<ul><li>running community centres for homeless people, people after prison, people with disabilities, "
                "members of minorities and migrants, and families with children</li><li>shared events for clients "
                "and local residents</li></ul>"
            ),
            "achieved_results": [
                _figure(5, "community centres evaluated"),
                _text(
                    "<p>Involving people from the target groups worked better where social exclusion was less severe. "
                    "The public received the projects well, and local residents as well as clients visit the "
                    "centres.</p>"
                ),
            ],
            "facts_note": "The source is a case study for the City of Prague that gives no registration number, period "
            "or amounts. CZ.07.3.63/0.0/0.0/16_046/0002319 is an illustrative number in the programme's format for this "
            "demo site, not the project's real number.",
            "contact_role": "",
        },
    },
]

INDEX = {
    "cs": {
        "title": "Projekty",
        "intro": "<p>Projekty, díky kterým můžeme naše služby nabízet zdarma, a projekty partnerů, od kterých se učíme. "
        "U každého uvádíme poskytovatele podpory, registrační číslo a výsledky.</p>",
    },
    "en": {
        "title": "Projects",
        "intro": "<p>The projects that let us offer our services free of charge, and partners' projects we learn from. "
        "Each shows its funder, registration number and results.</p>",
    },
}


def _logo(key: str | None):
    if key is None:
        return None
    Image = get_image_model()
    title, filename = LOGOS[key]
    image = Image.objects.filter(title=title).first()
    if image is None:
        with open(LOGOS_DIR / filename, "rb") as handle:
            image = Image(title=title, file=ImageFile(handle, name=filename))
            image.save()
    return image


def _programmes(cs_locale, en_locale) -> dict[str, dict[str, FundingProgramme]]:
    result = {}
    for key, spec in PROGRAMMES.items():
        shared = {
            "kind": spec["kind"],
            "short_name": spec["short_name"],
            "registration_number_pattern": spec["pattern"],
            "registration_number_example": spec["example"],
            "link": spec["link"],
            "logo": _logo(spec["logo"]),
        }
        programme = FundingProgramme.objects.filter(locale=cs_locale, short_name=spec["short_name"]).first()
        if programme is None:
            programme = FundingProgramme(locale=cs_locale)
        for name, value in {**shared, **spec["cs"]}.items():
            setattr(programme, name, value)
        programme.full_clean()
        programme.save()
        translated = programme.get_translation_or_none(en_locale)
        if translated is None:
            translated = programme.copy_for_translation(en_locale)
        for name, value in {**shared, **spec["en"]}.items():
            setattr(translated, name, value)
        translated.full_clean()
        translated.save()
        result[key] = {"cs": programme, "en": translated}
    return result


def _audiences(slugs: list[str], cs_locale, en_locale) -> dict[str, list]:
    """Target groups from the shared audiences (defined by the events demo), created here when missing."""
    for key, names in AUDIENCES.items():
        if names[1] in slugs:
            _snippet(Audience, key, names, cs_locale, en_locale)
    cs = list(Audience.objects.filter(locale=cs_locale, slug__in=slugs))
    en = list(Audience.objects.filter(locale=en_locale, translation_key__in=[a.translation_key for a in cs]))
    return {"cs": cs, "en": en}


@transaction.atomic
def load(*, homes: dict[str, Page]) -> str:
    cs_locale, en_locale = locale("cs"), locale("en")
    programmes = _programmes(cs_locale, en_locale)
    index = upsert_child(homes["cs"], ProjectIndexPage, slug="projekty", show_in_menus=True, **INDEX["cs"])
    upsert_translation(index, language_code="en", slug="projects", show_in_menus=True, **INDEX["en"])
    for spec in PROJECTS:
        shared = {
            name: spec[name]
            for name in (
                "registration_number",
                "start_date",
                "end_date",
                "status_override",
                "total_cost",
                "grant_amount",
                "currency",
                "contact_name",
                "contact_email",
                "contact_phone",
            )
        }
        groups = _audiences(spec["audiences"], cs_locale, en_locale)
        cs_slug, en_slug = spec["slug"]
        page = upsert_child(
            index,
            ProjectPage,
            slug=cs_slug,
            programmes=[programmes[spec["programme"]]["cs"]],
            target_groups=groups["cs"],
            **shared,
            **spec["cs"],
        )
        upsert_translation(
            page,
            language_code="en",
            slug=en_slug,
            programmes=[programmes[spec["programme"]]["en"]],
            target_groups=groups["en"],
            **shared,
            **spec["en"],
        )
        # Each project's obligation register, from the facts above (updated in place on every load).
        project_obligations_update(project=page)
    return f"{len(programmes)} funding programmes, {len(PROJECTS)} projects in cs and en under {index.url_path}"
