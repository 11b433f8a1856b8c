"""Demo content of the centre's website: the news and the contact page.

Written as the centre would write it, from the facts of the seed projects and
the demo events. Images are drawn here (clearly generated illustrations).
"""

import datetime as dt
import io

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import RichText

from demo.helpers import locale, upsert_child, upsert_translation
from demo.library import gallery_block
from demo.standin_logos import font
from events.models import EventPage
from projects.models import ProjectPage
from website.models import ContactFormField, ContactPage, NewsIndexPage, NewsPage, Person, TeamPage

PROJECT_SLUG = "komunitni-centrum-vltavotynska"

INDEX = {
    "cs": {
        "title": "Aktuality",
        "intro": "Co je nového v komunitním centru: pozvánky, ohlédnutí za akcemi a zprávy z našich projektů.",
    },
    "en": {
        "title": "News",
        "intro": "What is new at the community centre: invitations, looking back at events and news from our projects.",
    },
}


def _p(html: str) -> tuple[str, RichText]:
    return ("paragraph", RichText(html))


#: Each item: days before today, the image (label, colours), the linked event or project, and the texts.
NEWS = [
    {
        "slug": ("komunitni-setkani-o-hristi", "community-meeting-on-the-playground"),
        "days_ago": 4,
        "image": ("Komunitní setkání", "#0b4f8a", "#ffd166"),
        "event": "komunitni-setkani",
        "project": True,
        "cs": {
            "title": "Sousedé rozhodli o novém hřišti",
            "summary": "Na komunitním setkání jsme se s dvaceti sousedy a starostou domluvili, jak opravit hřiště u nádraží.",
            "image_alt": "Ilustrace: lidé sedí v kruhu kolem stolu s plánkem hřiště",
            "tags": ["komunitní setkání", "projekty"],
            "body": [
                _p(
                    "<p>Setkání k řešení společných témat jsou jádrem naší komunitní práce: do konce roku 2025 jich podle "
                    "projektu Komunitní centrum Vltavotýnska má proběhnout deset. To listopadové se týkalo hřiště u nádraží, "
                    "které rodiny s dětmi postrádají.</p>"
                ),
                _p(
                    "<p>Sousedé sepsali, co na hřišti chybí, a dva z nich se ujali jednání s městem. Další setkání "
                    "najdete v kalendáři akcí. Přijít může každý.</p>"
                ),
            ],
        },
        "en": {
            "title": "Neighbours decided on a new playground",
            "summary": "At the community meeting twenty neighbours and the mayor agreed how to repair the playground by the station.",
            "image_alt": "Illustration: people sitting round a table with a plan of the playground",
            "tags": ["community meeting", "projects"],
            "body": [
                _p(
                    "<p>Meetings on shared topics are at the heart of our community work: the Vltavotýnsko Community Centre "
                    "project plans ten of them by the end of 2025. The November meeting was about the playground by the "
                    "station, which families with children miss.</p>"
                ),
                _p(
                    "<p>The neighbours listed what the playground lacks, and two of them took on the talks with the town. "
                    "The next meetings are in the events calendar. Everyone is welcome.</p>"
                ),
            ],
        },
    },
    {
        "slug": ("pozvanka-cesko-vietnamsky-rodinny-den", "invitation-czech-vietnamese-family-day"),
        "days_ago": 12,
        "image": ("Rodinný den", "#a33a00", "#fff1d6"),
        "event": "cesko-vietnamsky-rodinny-den",
        "project": False,
        "cs": {
            "title": "Zveme na česko-vietnamský rodinný den",
            "summary": "Hry pro děti, ochutnávka vietnamské kuchyně a povídání o tom, jak se nám spolu žije.",
            "image_alt": "Ilustrace: barevné lampiony nad stoly s jídlem",
            "tags": ["rodiny", "pozvánky"],
            "body": [
                _p(
                    "<p>Inspirovali jsme se Interkulturním rodinným komunitním česko-vietnamským centrem v Praze-Libuši, "
                    "kde se rodiny z obou komunit potkávají u společných akcí. Přijďte si zahrát, ochutnat a poznat sousedy.</p>"
                ),
            ],
        },
        "en": {
            "title": "Join us for the Czech–Vietnamese family day",
            "summary": "Games for children, a taste of Vietnamese cooking and a chat about how we live together.",
            "image_alt": "Illustration: colourful lanterns above tables with food",
            "tags": ["families", "invitations"],
            "body": [
                _p(
                    "<p>We took our inspiration from the intercultural Czech–Vietnamese family community centre in Prague-Libuš, "
                    "where families from both communities meet at shared events. Come and play, taste and meet your neighbours.</p>"
                ),
            ],
        },
    },
    {
        "slug": ("poradna-kazde-utery", "counselling-every-tuesday"),
        "days_ago": 30,
        "image": None,
        "event": "socialni-poradna",
        "project": True,
        "cs": {
            "title": "Sociální poradna je otevřená každé úterý",
            "summary": "S dluhy, bydlením nebo dávkami vám pomůžeme každé úterý od 15 do 17 hodin, bez objednání a zdarma.",
            "tags": ["poradenství"],
            "body": [
                _p(
                    "<p>Konkrétní poradenství a psychosociální podpora patří k hlavním aktivitám projektu Komunitní centrum "
                    "Vltavotýnska. Díky podpoře z Evropské unie je poradna zdarma pro všechny občany Vltavotýnska.</p>"
                ),
            ],
        },
        "en": {
            "title": "Social counselling is open every Tuesday",
            "summary": "We help with debts, housing or benefits every Tuesday from 3 to 5 pm, without an appointment and free of charge.",
            "tags": ["counselling"],
            "body": [
                _p(
                    "<p>Specific counselling and psychosocial support are among the main activities of the Vltavotýnsko "
                    "Community Centre project. Thanks to funding from the European Union, counselling is free for everyone "
                    "in the Vltavotýnsko area.</p>"
                ),
            ],
        },
    },
    {
        "slug": ("doucovaci-klub-hleda-dobrovolniky", "homework-club-needs-volunteers"),
        "days_ago": 45,
        "image": ("Doučování", "#1d6b2f", "#e8f5ec"),
        "event": "doucovaci-klub",
        "project": False,
        "cs": {
            "title": "Doučovací klub hledá dobrovolníky",
            "summary": "Máte jedno odpoledne v týdnu? Pomozte dětem s úkoly a češtinou.",
            "image_alt": "Ilustrace: otevřené sešity a tužky na stole",
            "tags": ["dobrovolnictví", "děti"],
            "body": [
                _p(
                    "<p>Do klubu chodí děti z rodin, které si doučování nemohou dovolit, i děti, pro které je čeština druhým "
                    "jazykem. Hledáme studenty, seniory i pracující, kteří dětem věnují hodinu nebo dvě týdně. "
                    "Ozvěte se nám na e-mail nebo se zastavte v centru.</p>"
                ),
            ],
        },
        "en": {
            "title": "The homework club needs volunteers",
            "summary": "Do you have one afternoon a week? Help children with their homework and Czech.",
            "image_alt": "Illustration: open exercise books and pencils on a table",
            "tags": ["volunteering", "children"],
            "body": [
                _p(
                    "<p>The club is for children from families who cannot afford tutoring and for children whose second "
                    "language is Czech. We are looking for students, older people and working people who can give an hour "
                    "or two a week. Write to us or drop in at the centre.</p>"
                ),
            ],
        },
    },
    {
        "slug": ("skupina-lidru-v-dome-inspirace", "house-leaders-group-inspiration"),
        "days_ago": 80,
        "image": None,
        "event": "skupina-lidru",
        "project": False,
        "cs": {
            "title": "Inspirace: skupina lídrů v domě s 23 byty",
            "summary": "Jak se sousedé v jednom domě naučili řešit problémy sami – a co si z toho bereme my.",
            "tags": ["komunitní práce", "inspirace"],
            "body": [
                _p(
                    "<p>Organizace EUROTOPIA.CZ podpořila skupinu lídrů v domě s 23 byty. Podpora sousedů vedla k posílení "
                    "vztahů mezi obyvateli domu a k vytvoření sítě, která přesahuje běžné sousedské vztahy. "
                    "Naše vlastní skupina lídrů se schází pravidelně v centru.</p>"
                ),
            ],
        },
        "en": {
            "title": "Inspiration: a leaders' group in a house of 23 flats",
            "summary": "How neighbours in one house learnt to solve problems themselves, and what we take from it.",
            "tags": ["community work", "inspiration"],
            "body": [
                _p(
                    "<p>EUROTOPIA.CZ supported a leaders' group in a house of 23 flats. The support of neighbours strengthened "
                    "the relationships in the house and built a network that goes beyond ordinary neighbourly relations. "
                    "Our own leaders' group meets regularly at the centre.</p>"
                ),
            ],
        },
    },
    {
        "slug": ("projekt-komunitni-centrum-zahajen", "community-centre-project-started"),
        "days_ago": 400,
        "image": ("Komunitní centrum", "#083a66", "#dbe7f3"),
        "event": None,
        "project": True,
        "cs": {
            "title": "Jak jsme začali: projekt Komunitní centrum Vltavotýnska",
            "summary": "Od ledna 2023 je komunitní centrum financováno z Evropské unie, a proto jsou naše služby zdarma.",
            "image_alt": "Ilustrace: dům komunitního centra s otevřenými dveřmi",
            "tags": ["projekty"],
            "body": [
                _p(
                    "<p>Projekt realizuje MAS VLTAVA, z.s., v Operačním programu Zaměstnanost plus. Jeho cílem je komunitní "
                    "centrum jako udržitelný a fungující prostor, patnáct nových lídrů komunity a deset setkání k řešení "
                    "společných témat do konce roku 2025.</p>"
                ),
            ],
        },
        "en": {
            "title": "How we started: the Vltavotýnsko Community Centre project",
            "summary": "Since January 2023 the community centre has been funded by the European Union, so our services are free.",
            "image_alt": "Illustration: the community centre's house with its door open",
            "tags": ["projects"],
            "body": [
                _p(
                    "<p>The project is run by MAS VLTAVA, z.s., in the Employment Plus Operational Programme. It aims at a "
                    "community centre as a lasting, working place, fifteen new community leaders and ten meetings on shared "
                    "topics by the end of 2025.</p>"
                ),
            ],
        },
    },
]


def illustration(label: str, ink: str, paper: str, *, size=(1280, 800)):
    """A generated illustration (a wagtail image), made once and reused."""
    Image = get_image_model()
    title = f"Ilustrace: {label}"
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    picture = PILImage.new("RGB", size, paper)
    pen = ImageDraw.Draw(picture)
    width, height = size
    for n in range(7):
        radius = height // (3 + n)
        x = (n * width) // 6
        pen.ellipse([x - radius, height - radius * 2, x + radius, height], outline=ink, width=8)
    pen.rectangle([0, 0, width, height // 5], fill=ink)
    pen.text((40, height // 10 - 30), label, fill=paper, font=font(56))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    slug = "".join(ch if ch.isalnum() else "-" for ch in label.lower()).strip("-")
    image = Image(title=title, file=ImageFile(buffer, name=f"demo-{slug}.png"))
    image.save()
    return image


def _set_tags(page: Page, tags: list[str]) -> None:
    page.tags.set(tags)
    page.save_revision().publish()


CONTACT = {
    "cs": {
        "title": "Kontakt",
        "search_description": "Adresa, otevírací doba a kontaktní formulář Komunitního centra Soused v Týně nad Vltavou.",
        "intro": "<p>Přijďte za námi, zavolejte nebo napište. Na akce s omezenou kapacitou se registrujte přímo u akce; "
        "na poradnu můžete přijít i bez objednání. Všechny naše služby jsou díky podpoře z Evropské unie zdarma.</p>",
        "thank_you_text": "<p>Děkujeme, zprávu jsme dostali. Odpovíme vám do dvou pracovních dnů.</p>",
    },
    "en": {
        "title": "Contact",
        "search_description": "Address, opening hours and contact form of the Soused Community Centre in Týn nad Vltavou.",
        "intro": "<p>Come and see us, call or write. For events with limited places, register on the event's page; "
        "you can come to counselling without an appointment. Thanks to funding from the European Union, all our "
        "services are free of charge.</p>",
        "thank_you_text": "<p>Thank you, we have your message. We will reply within two working days.</p>",
    },
}

#: (field type, required, Czech label, English label, Czech help text, English help text)
CONTACT_FIELDS = [
    ("singleline", True, "Vaše jméno", "Your name", "", ""),
    ("email", True, "E-mail", "E-mail", "Sem vám odpovíme.", "We reply to this address."),
    (
        "singleline",
        False,
        "Telefon",
        "Phone",
        "Jestli chcete, abychom vám zavolali.",
        "If you would like us to call you.",
    ),
    ("multiline", True, "Zpráva", "Message", "", ""),
]


def _contact_fields(language: str) -> list[ContactFormField]:
    label, help_text = (2, 4) if language == "cs" else (3, 5)
    return [
        ContactFormField(
            sort_order=order,
            field_type=spec[0],
            required=spec[1],
            label=spec[label],
            help_text=spec[help_text],
            # The same stored name in every language, so one message reads the same in the admin.
            clean_name=["jmeno", "email", "telefon", "zprava"][order],
        )
        for order, spec in enumerate(CONTACT_FIELDS)
    ]


def load_contact(*, homes: dict[str, Page]) -> ContactPage:
    """The contact page with its form (replacing the plain contact page of earlier demos)."""
    old = homes["cs"].get_children().filter(slug="kontakt").not_type(ContactPage).first()
    if old is not None:
        for translation in old.get_translations(inclusive=True):
            translation.delete()
    page = upsert_child(
        homes["cs"], ContactPage, slug="kontakt", show_in_menus=True, form_fields=_contact_fields("cs"), **CONTACT["cs"]
    )
    upsert_translation(
        page, language_code="en", slug="contact", show_in_menus=True, form_fields=_contact_fields("en"), **CONTACT["en"]
    )
    return page


TEAM_PAGE = {
    "cs": {
        "title": "Náš tým",
        "intro": "<p>Lidé, kteří v komunitním centru pracují. Zastavte se, zavolejte nebo napište.</p>",
    },
    "en": {"title": "Our team", "intro": "<p>The people who work at the community centre. Drop in, call or write.</p>"},
}

#: name, e-mail, phone, languages, photo colours, (role, group) in cs and en
TEAM = [
    (
        "Jana Dvořáková",
        "jana.dvorakova@kc-soused.example",
        "+420 385 000 123",
        ("čeština, angličtina", "Czech, English"),
        ("#0b4f8a", "#dbe7f3"),
        ("koordinátorka komunitního centra", "Vedení centra"),
        ("community centre coordinator", "Running the centre"),
    ),
    (
        "Petr Král",
        "petr.kral@kc-soused.example",
        "+420 385 000 124",
        ("čeština, němčina", "Czech, German"),
        ("#1d6b2f", "#e8f5ec"),
        ("sociální pracovník", "Sociální poradna"),
        ("social worker", "Social counselling"),
    ),
    (
        "Lucie Marešová",
        "lucie.maresova@kc-soused.example",
        "",
        ("čeština, ruština, ukrajinština", "Czech, Russian, Ukrainian"),
        ("#a33a00", "#fff1d6"),
        ("sociální pracovnice", "Sociální poradna"),
        ("social worker", "Social counselling"),
    ),
    (
        "Nguyen Thi Lan",
        "lan.nguyen@kc-soused.example",
        "",
        ("vietnamština, čeština", "Vietnamese, Czech"),
        ("#5b2a86", "#efe6f7"),
        ("komunitní pracovnice pro vietnamské rodiny", "Komunitní práce"),
        ("community worker for Vietnamese families", "Community work"),
    ),
    (
        "Tomáš Beneš",
        "",
        "",
        ("čeština", "Czech"),
        ("#083a66", "#f3f5f8"),
        ("dobrovolník, doučovací klub", "Komunitní práce"),
        ("volunteer, homework club", "Community work"),
    ),
]


def load_team(*, homes: dict[str, Page]) -> TeamPage:
    """The team (five people, as person snippets in cs and en) and the team page; the centre's project names
    its coordinator as its contact person."""
    cs_loc, en_loc = locale("cs"), locale("en")
    people = []
    for order, (name, email, phone, languages, colours, cs, en) in enumerate(TEAM):
        shared = {
            "email": email,
            "phone": phone,
            "sort_order": order,
            "photo": illustration(name, *colours, size=(480, 480)),
        }
        person = Person.objects.filter(locale=cs_loc, name=name).first() or Person(locale=cs_loc, name=name)
        for field, value in {**shared, "role": cs[0], "group": cs[1], "languages": languages[0]}.items():
            setattr(person, field, value)
        person.save()
        translated = person.get_translation_or_none(en_loc) or person.copy_for_translation(en_loc)
        for field, value in {**shared, "name": name, "role": en[0], "group": en[1], "languages": languages[1]}.items():
            setattr(translated, field, value)
        translated.save()
        people.append(person)
    page = upsert_child(homes["cs"], TeamPage, slug="tym", show_in_menus=True, **TEAM_PAGE["cs"])
    upsert_translation(page, language_code="en", slug="team", show_in_menus=True, **TEAM_PAGE["en"])
    project = ProjectPage.objects.filter(slug=PROJECT_SLUG, locale=cs_loc).first()
    if project is not None:
        for translation in project.get_translations(inclusive=True).specific():
            translation.contact_person = people[0]
            translation.save_revision().publish()
    return page


@transaction.atomic
def load(*, homes: dict[str, Page]) -> str:
    cs_loc, en_loc = locale("cs"), locale("en")
    today = timezone.localdate()
    index = upsert_child(homes["cs"], NewsIndexPage, slug="aktuality", show_in_menus=True, **INDEX["cs"])
    upsert_translation(index, language_code="en", slug="news", show_in_menus=True, **INDEX["en"])
    project_cs = ProjectPage.objects.filter(slug=PROJECT_SLUG, locale=cs_loc).live().first()
    project_en = project_cs.get_translation_or_none(en_loc) if project_cs else None
    for spec in NEWS:
        event_cs = EventPage.objects.filter(slug=spec["event"], locale=cs_loc).first() if spec["event"] else None
        event_en = event_cs.get_translation_or_none(en_loc) if event_cs else None
        image = illustration(*spec["image"]) if spec["image"] else None
        shared = {"date": today - dt.timedelta(days=spec["days_ago"]), "image": image}
        texts = {language: {k: v for k, v in spec[language].items() if k != "tags"} for language in ("cs", "en")}
        for language in ("cs", "en"):
            gallery = gallery_block(spec["slug"][0], language)
            if gallery is not None:
                texts[language]["body"] = [*texts[language]["body"], gallery]
        page_cs = upsert_child(
            index,
            NewsPage,
            slug=spec["slug"][0],
            project=project_cs if spec["project"] else None,
            event=event_cs,
            **shared,
            **texts["cs"],
        )
        _set_tags(page_cs, spec["cs"]["tags"])
        page_en = upsert_translation(
            page_cs,
            language_code="en",
            slug=spec["slug"][1],
            project=(project_en or project_cs) if spec["project"] else None,
            event=event_en or event_cs,
            **shared,
            **texts["en"],
        )
        _set_tags(page_en, spec["en"]["tags"])
    contact = load_contact(homes=homes)
    team = load_team(homes=homes)
    return (
        f"{len(NEWS)} news items in cs and en under {index.url_path}, the contact page {contact.url_path}, "
        f"{len(TEAM)} people on {team.url_path}"
    )
