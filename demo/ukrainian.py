"""The demo site in Ukrainian: the home page, the contact page, the events index and the activities
that Ukrainian-speaking neighbours ask about most (idempotent).

The rest of the site stays Czech for now, as at a real centre that translates step by step: a
Ukrainian visitor who reaches a page not yet translated sees the Czech page with a note
(home.models.HomePage.route). `load` runs after `demo.events` (so that `demo.registrations` gives
the Ukrainian pages the same registration settings); `load_contact` after `demo.website`.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site

from demo.events import AUDIENCES, CATEGORIES, VENUES, translate_reasons
from demo.helpers import locale, upsert_translation
from events.models import Audience, EventCategory, EventIndexPage, EventPage, Venue
from portal.models import CentreSettings, CentreText
from website.models import ContactFormField, ContactPage

LANGUAGE = "uk"

CENTRE_TEXT = {
    "name": "Громадський центр Soused",
    "opening_hours": "Пн–Чт 9:00–18:00\nПт 9:00–14:00\nСоціальна консультація: вт 15:00–17:00",
    "accessibility": "Вхід з вулиці Nádražní без бар’єрів, клубна кімната й туалет — на першому поверсі. "
    "Від автобусної зупинки Nádražní — 3 хвилини пішки. На консультацію можна прийти з перекладачем, "
    "ми охоче його забезпечимо.",
}

HOME = {
    "title": "Громадський центр Soused",
    "search_description": "Громадський центр для сусідів у Тині-над-Влтавою та околицях: гуртки, консультації, "
    "курси й сусідські заходи безкоштовно.",
    "intro": "<p>Ми тут для людей. Створюємо можливості знайомитися, ділитися потребами й разом розв’язувати "
    "проблеми, відновлювати втрачені соціальні зв’язки та заводити нові знайомства. Завдяки підтримці "
    "Європейського Союзу наші послуги <b>безкоштовні</b>.</p>",
}

EVENT_INDEX = {
    "slug": "zakhody",
    "title": "Заходи",
    "intro": "<p>Гуртки, консультації, курси й сусідські заходи громадського центру. Обирайте за тим, для кого "
    "вони і коли відбуваються. Тут лише заходи, які вже перекладено українською; "
    '<a href="/uk/akce/">усі заходи центру</a> показуємо чеською мовою.</p>',
}

#: Snippet names and slugs in Ukrainian, by the keys of demo.events.
CATEGORY_NAMES = {
    "clubs": ("Клуби та гуртки", "hurtky"),
    "counselling": ("Консультації", "konsultatsii"),
    "community": ("Зустрічі громади", "zustrichi-hromady"),
    "festivals": ("Свята та заходи", "sviata"),
    "courses": ("Курси та майстерні", "kursy"),
}
AUDIENCE_NAMES = {
    "children": ("Діти та молодь", "dity"),
    "families": ("Сім’ї", "simi"),
    "seniors": ("Люди похилого віку", "seniory"),
    "adults": ("Дорослі", "dorosli"),
    "homeless": ("Люди без дому", "liudy-bez-domu"),
    "migrants": ("Іноземці та мігранти", "inozemtsi"),
}
VENUE_TEXTS = {
    "centre": (
        "Громадський центр",
        "Вхід з вулиці без бар’єрів, ліфт на другий поверх, доступний туалет на першому поверсі.",
    ),
    "square": (
        "Náměstí Míru (міська площа)",
        "Захід просто неба на рівній бруківці; найближчий доступний туалет — у громадському центрі.",
    ),
}

#: Czech slug: (slug, title, summary, language of the activity, reason of the cancelled date)
EVENTS = {
    "socialni-poradna": (
        "sotsialna-konsultatsiia",
        "Соціальна консультація",
        "Безкоштовна й анонімна допомога з виплатами, житлом, боргами та спілкуванням з установами. "
        "Щовівторка 15–17 год.",
        "чеська, можна з перекладачем",
        "Цього тижня консультантка на навчанні, приходьте, будь ласка, наступного вівторка.",
    ),
    "kavarna-pro-rodice": (
        "kaviarnia-dlia-batkiv",
        "Кав’ярня для батьків",
        "Зустріч для мам і тат з малими дітьми: кава, іграшки та місце, щоб поділитися турботами й радощами.",
        "чеська",
        None,
    ),
    "cestina-pro-cizince": (
        "cheska-dlia-inozemtsiv",
        "Чеська мова для іноземців",
        "Розмовний курс чеської для дорослих іноземців: для початківців і тих, хто вже трохи знає мову.",
        "чеська, пояснення англійською та в’єтнамською",
        None,
    ),
    "doucovaci-klub": (
        "klub-dopomohy-z-navchanniam",
        "Клуб допомоги з навчанням для дітей",
        "Щосереди допомагаємо дітям з домашніми завданнями та підготовкою до школи. Волонтери й педагоги, "
        "безкоштовний перекус.",
        "чеська",
        None,
    ),
    "pravni-poradna": (
        "yurydychna-konsultatsiia",
        "Юридична консультація",
        "Адвокатка відповідає на запитання про оренду, стягнення боргів (екзекуції), сімейне право й трудові "
        "договори. Потрібна реєстрація.",
        "чеська",
        None,
    ),
    "uklid-okoli": (
        "susidske-prybyrannia",
        "Сусідське прибирання околиць",
        "Разом приберемо площу й набережну. Рукавиці та мішки забезпечимо, після роботи — частування.",
        "чеська",
        None,
    ),
}

CONTACT = {
    "slug": "kontakty",
    "title": "Контакти",
    "search_description": "Адреса, години роботи та контактна форма громадського центру Soused у Тині-над-Влтавою.",
    "intro": "<p>Приходьте до нас, телефонуйте або пишіть. На заходи з обмеженою кількістю місць реєструйтеся "
    "прямо на сторінці заходу; на консультацію можна прийти й без запису. Завдяки підтримці Європейського Союзу "
    "всі наші послуги безкоштовні. Ми розуміємо українською та англійською.</p>",
    "thank_you_text": "<p>Дякуємо, ваше повідомлення отримано. Відповімо протягом двох робочих днів.</p>",
}
#: The contact form's fields in Ukrainian, by their stored name (the same in every language): label, help text.
CONTACT_FIELDS = {
    "jmeno": ("Ваше ім’я", ""),
    "email": ("Електронна пошта", "Сюди ми вам відповімо."),
    "telefon": ("Телефон", "Якщо хочете, щоб ми вам зателефонували."),
    "zprava": ("Повідомлення", ""),
}


def _translated_snippet(source, target_locale, **fields):
    """The snippet's translation, created or updated with `fields` (never the source or another language)."""
    translation = source.get_translation_or_none(target_locale) or source.copy_for_translation(target_locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    return translation


def _snippets(cs_locale, uk_locale) -> tuple[dict, dict, dict]:
    categories = {
        key: _translated_snippet(
            EventCategory.objects.get(locale=cs_locale, slug=CATEGORIES[key][1]), uk_locale, name=name, slug=slug
        )
        for key, (name, slug) in CATEGORY_NAMES.items()
    }
    audiences = {
        key: _translated_snippet(
            Audience.objects.get(locale=cs_locale, slug=AUDIENCES[key][1]), uk_locale, name=name, slug=slug
        )
        for key, (name, slug) in AUDIENCE_NAMES.items()
    }
    venues = {
        key: _translated_snippet(
            Venue.objects.get(locale=cs_locale, name=VENUES[key]["cs"][0]),
            uk_locale,
            name=name,
            accessibility_notes=notes,
        )
        for key, (name, notes) in VENUE_TEXTS.items()
    }
    return categories, audiences, venues


@transaction.atomic
def load(*, homes: dict[str, Page]) -> str:
    """The home page, the centre's texts, the events index and six activities in Ukrainian; adds homes["uk"]."""
    cs_locale, uk_locale = locale("cs"), locale(LANGUAGE)
    home = upsert_translation(homes["cs"], language_code=LANGUAGE, slug="home-uk", **HOME)
    homes[LANGUAGE] = home
    centre = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    # The centre's Ukrainian texts; `centre` came with its texts as they were before this row.
    centre_text, _created = CentreText.objects.update_or_create(
        settings=centre, locale=uk_locale, defaults={**CENTRE_TEXT, "sort_order": centre.texts.count()}
    )

    categories, audiences, venues = _snippets(cs_locale, uk_locale)
    index_cs = EventIndexPage.objects.get(locale=cs_locale, depth=3)
    index = upsert_translation(index_cs, language_code=LANGUAGE, show_in_menus=True, **EVENT_INDEX)

    by_name = {data["cs"][0]: key for key, data in VENUES.items()}
    category_keys = {slug: key for key, (_name, slug, *_rest) in CATEGORIES.items()}
    audience_keys = {slug: key for key, (_name, slug, *_rest) in AUDIENCES.items()}
    for cs_slug, (slug, title, summary, language, reason) in EVENTS.items():
        source = EventPage.objects.child_of(index_cs).get(slug=cs_slug)
        translation = upsert_translation(
            source,
            language_code=LANGUAGE,
            slug=slug,
            title=title,
            summary=summary,
            activity_language=language,
            organiser_name=centre_text.name,
            category=categories[category_keys[source.category.slug]] if source.category_id else None,
            venue=venues[by_name[source.venue.name]] if source.venue_id else None,
            audiences=[audiences[audience_keys[audience.slug]] for audience in source.audiences.all()],
        )
        translate_reasons(translation, reason)
    return f"home, events index {index.url_path} and {len(EVENTS)} activities in Ukrainian"


@transaction.atomic
def load_contact(*, homes: dict[str, Page]) -> str:
    source = ContactPage.objects.child_of(homes["cs"]).get(slug="kontakt")
    fields = [
        ContactFormField(
            sort_order=field.sort_order,
            field_type=field.field_type,
            required=field.required,
            label=CONTACT_FIELDS[field.clean_name][0],
            help_text=CONTACT_FIELDS[field.clean_name][1],
            clean_name=field.clean_name,
            choices=field.choices,
            default_value=field.default_value,
        )
        for field in source.form_fields.all()
    ]
    page = upsert_translation(source, language_code=LANGUAGE, show_in_menus=True, form_fields=fields, **CONTACT)
    return f"contact page {page.url_path} in Ukrainian"
