"""Demo content for the home app: the home page, about, contact and the legal pages.

The texts are written as the centre would write them, from the facts of the
projects in the seed descriptions.
"""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from demo.helpers import ensure_tree_roots, locale, upsert_child, upsert_translation
from home.models import HomePage, StandardPage
from portal.models import CentreSettings, CentreText, SocialLink


def _p(html: str) -> tuple[str, RichText]:
    return ("paragraph", RichText(html))


def _h(text: str, level: str = "h2") -> tuple[str, dict]:
    return ("heading", {"text": text, "level": level})


def _faq(title: str, items: list[tuple[str, str]]) -> tuple[str, dict]:
    return ("faq", {"title": title, "items": [{"question": q, "answer": RichText(a)} for q, a in items]})


CENTRE = {
    "operator": "Soused, z. s.",
    "street": "Nádražní 1024",
    "postal_code": "375 01",
    "city": "Týn nad Vltavou",
    "phone": "+420 385 000 123",
    "email": "info@kc-soused.example",
    "ico": "27654321",
}

#: The centre's name and opening hours in each language.
CENTRE_TEXTS = {
    "cs": {
        "name": "Komunitní centrum Soused",
        "opening_hours": "Po–Čt 9:00–18:00\nPá 9:00–14:00\nSociální poradna: út 15:00–17:00",
        "accessibility": "Vchod z Nádražní ulice je bezbariérový, klubovna i toaleta jsou v přízemí. "
        "Z autobusové zastávky Nádražní jsou to 3 minuty pěšky. Na poradnu si můžete vzít tlumočníka, rádi vám ho zajistíme.",
    },
    "en": {
        "name": "Soused Community Centre",
        "opening_hours": "Mon–Thu 9:00–18:00\nFri 9:00–14:00\nSocial counselling: Tue 15:00–17:00",
        "accessibility": "The entrance from Nádražní street is step-free; the club room and the toilet are on the ground floor. "
        "The Nádražní bus stop is 3 minutes away on foot. We are glad to arrange an interpreter for counselling.",
    },
}

HOME = {
    "cs": {
        "title": "Komunitní centrum Soused",
        "search_description": "Komunitní centrum pro sousedy z Týna nad Vltavou a okolí: kluby, poradenství, kurzy a sousedské akce zdarma.",
        "intro": "<p>Jsme tady pro lidi. Vytváříme příležitosti pro seznamování, sdílení potřeb a řešení problémů, "
        "pro obnovu narušených sociálních vazeb a vytváření nových kontaktů. Naše služby jsou díky podpoře "
        "z Evropské unie <b>zdarma</b>.</p>",
    },
    "en": {
        "title": "Soused Community Centre",
        "search_description": "A community centre for neighbours in Týn nad Vltavou and around: clubs, counselling, courses and neighbourhood events, free of charge.",
        "intro": "<p>We are here for people. We create chances to meet, to share needs and solve problems, "
        "to mend broken social ties and to make new contacts. Thanks to funding from the European Union, "
        "our services are <b>free of charge</b>.</p>",
    },
}

PAGES = {
    "o-nas": {
        "cs": {
            "title": "O nás",
            "summary": "Komunitní centrum je otevřený prostor pro všechny sousedy, zvlášť pro ty, kdo se ocitli v obtížné situaci.",
            "body": [
                _h("Co děláme"),
                _p(
                    "<p>Smyslem naší práce je aktivizace komunity k řešení problémů lidí sociálně vyloučených či ohrožených "
                    "sociálním vyloučením, lidí sociálně slabších a znevýhodněných, kteří žijí na venkově. Setkáváme se kvůli "
                    "sociálním, vzdělávacím, kulturním a dalším aktivitám s cílem zlepšit situaci jednotlivců i komunity jako celku. "
                    "Předpokladem komunitní práce je aktivní účast členů komunity na všech jejích fázích.</p>"
                ),
                _h("Pro koho jsme"),
                _p(
                    "<ul><li>rodiny s dětmi v nepříznivé sociální situaci, včetně rodičů samoživitelů,</li>"
                    "<li>senioři a lidé se zdravotním postižením,</li><li>lidé bez domova a lidé ohrožení ztrátou bydlení,</li>"
                    "<li>migranti a příslušníci národnostních menšin,</li><li>všichni sousedé, kteří chtějí pomoci.</li></ul>"
                ),
                (
                    "quote",
                    {
                        "quote": "Podpora sousedů vedla k posílení vztahů mezi obyvateli domu a k vytvoření sítě, "
                        "která přesahuje běžné sousedské vztahy.",
                        "attribution": "z hodnocení skupiny lídrů",
                    },
                ),
                _h("S kým spolupracujeme"),
                _p(
                    "<p>Na našem webu představujeme i projekty partnerských organizací, od kterých se učíme: "
                    "Asistenční centrum v Janově (Oblastní charita Most), komunitní práci ve Vsetíně (Diakonie ČCE – středisko Vsetín) "
                    "nebo sousedskou skupinu lídrů v domě s 23 byty (EUROTOPIA.CZ, o.p.s.).</p>"
                ),
            ],
        },
        "en": {
            "title": "About us",
            "summary": "The community centre is an open place for every neighbour, especially for those who are going through a hard time.",
            "body": [
                _h("What we do"),
                _p(
                    "<p>Our work activates the community to solve the problems of people who are socially excluded or at risk of "
                    "social exclusion, and of people with low incomes or disadvantages who live in the countryside. We meet for "
                    "social, educational and cultural activities that improve the situation of each person and of the community "
                    "as a whole. Community work only works when its members take part in every stage.</p>"
                ),
                _h("Who we are for"),
                _p(
                    "<ul><li>families with children in a difficult situation, including single parents,</li>"
                    "<li>older people and people with disabilities,</li><li>people without a home or at risk of losing it,</li>"
                    "<li>migrants and members of minorities,</li><li>every neighbour who wants to help.</li></ul>"
                ),
                (
                    "quote",
                    {
                        "quote": "The support of neighbours strengthened the relationships in the house and built a network "
                        "that goes beyond ordinary neighbourly relations.",
                        "attribution": "from the leaders' group evaluation",
                    },
                ),
                _h("Who we work with"),
                _p(
                    "<p>Our website also presents projects of partner organisations we learn from: the Assistance Centre in Janov "
                    "(Oblastní charita Most), community work in Vsetín (Diakonie ČCE – Vsetín centre) and a neighbours' "
                    "leadership group in a house of 23 flats (EUROTOPIA.CZ, o.p.s.).</p>"
                ),
            ],
        },
    },
    "prohlaseni-o-pristupnosti": {
        "cs": {
            "title": "Prohlášení o přístupnosti",
            "summary": "Jak jsou naše webové stránky přístupné podle zákona č. 99/2019 Sb.",
            "body": [
                _p(
                    "<p>Spolek Soused, z. s., se zavazuje zpřístupnit své webové stránky v souladu se zákonem č. 99/2019 Sb., "
                    "o přístupnosti internetových stránek a mobilních aplikací. Toto prohlášení o přístupnosti se vztahuje na "
                    "webové stránky Komunitního centra Soused.</p>"
                ),
                _h("Stav souladu"),
                _p(
                    "<p>Tyto webové stránky jsou v souladu se zákonem č. 99/2019 Sb. a s normou EN 301 549 (WCAG 2.1 na úrovni AA), "
                    "s výjimkami uvedenými níže.</p>"
                ),
                _h("Nepřístupný obsah"),
                _p(
                    "<p>Některé starší dokumenty PDF (závěrečné a evaluační zprávy projektů) nemusí být plně přístupné. "
                    "Na požádání vám je zašleme v přístupném formátu.</p>"
                ),
                _h("Vypracování prohlášení"),
                _p(
                    "<p>Prohlášení bylo vypracováno na základě vlastního posouzení provedeného správcem stránek a automatizovaných "
                    "testů (axe) při každé změně webu. Prohlášení bylo naposledy přezkoumáno 1. 11. 2026.</p>"
                ),
                _h("Zpětná vazba a kontaktní údaje"),
                _p(
                    "<p>Pokud narazíte na problém s přístupností, napište nám na "
                    '<a href="mailto:info@kc-soused.example">info@kc-soused.example</a> nebo zavolejte na +420 385 000 123. '
                    "Odpovíme do 30 dnů.</p>"
                ),
                _h("Postupy pro vymáhání"),
                _p(
                    "<p>Pokud nebudete spokojeni s naší odpovědí, můžete podat podnět Ministerstvu vnitra, odboru eGovernmentu, "
                    'náměstí Hrdinů 1634/3, 140 21 Praha 4, e-mail: <a href="mailto:pristupnost@mvcr.cz">pristupnost@mvcr.cz</a>.</p>'
                ),
            ],
        },
        "en": {
            "title": "Accessibility statement",
            "summary": "How accessible our website is under Czech Act No. 99/2019 Coll.",
            "body": [
                _p(
                    "<p>Soused, z. s., is committed to making its website accessible in accordance with Act No. 99/2019 Coll., "
                    "on the accessibility of websites and mobile applications. This accessibility statement applies to the "
                    "website of the Soused Community Centre.</p>"
                ),
                _h("Compliance status"),
                _p(
                    "<p>This website complies with Act No. 99/2019 Coll. and the EN 301 549 standard (WCAG 2.1 level AA), "
                    "with the exceptions listed below.</p>"
                ),
                _h("Non-accessible content"),
                _p(
                    "<p>Some older PDF documents (final and evaluation reports of projects) may not be fully accessible. "
                    "We will send them to you in an accessible format on request.</p>"
                ),
                _h("Preparation of this statement"),
                _p(
                    "<p>This statement was prepared from a self-assessment by the site's administrator and automated tests (axe) "
                    "run on every change of the website. It was last reviewed on 1 November 2026.</p>"
                ),
                _h("Feedback and contact information"),
                _p(
                    "<p>If you find an accessibility problem, write to "
                    '<a href="mailto:info@kc-soused.example">info@kc-soused.example</a> or call +420 385 000 123. '
                    "We will reply within 30 days.</p>"
                ),
                _h("Enforcement procedure"),
                _p(
                    "<p>If you are not satisfied with our answer, you can file a complaint with the Ministry of the Interior, "
                    "eGovernment Department, náměstí Hrdinů 1634/3, 140 21 Praha 4, e-mail: "
                    '<a href="mailto:pristupnost@mvcr.cz">pristupnost@mvcr.cz</a>.</p>'
                ),
            ],
        },
    },
    "ochrana-osobnich-udaju": {
        "cs": {
            "title": "Ochrana osobních údajů",
            "summary": "Jak zpracováváme osobní údaje, když se registrujete na naše akce.",
            "body": [
                _h("Správce"),
                _p(
                    "<p>Správcem osobních údajů je Soused, z. s., IČO 27654321, Nádražní 1024, 375 01 Týn nad Vltavou, "
                    'e-mail <a href="mailto:info@kc-soused.example">info@kc-soused.example</a>.</p>'
                ),
                _h("Účel a rozsah zpracování"),
                _p(
                    "<p>Při registraci na akci zpracováváme vaše jméno, e-mail, počet míst a případně telefon a poznámku. "
                    "Údaje používáme jen k tomu, abychom vám rezervovali místo, poslali potvrzení, připomínku nebo zprávu o zrušení akce "
                    "a abychom vedli prezenční listinu, kterou vyžadují poskytovatelé dotací. IP adresy neukládáme.</p>"
                ),
                _h("Právní základ"),
                _p(
                    "<p>Údaje zpracováváme, protože jsou nezbytné pro splnění vaší žádosti o účast (čl. 6 odst. 1 písm. b) GDPR), "
                    "a u prezenčních listin kvůli plnění právní povinnosti vůči poskytovateli dotace (čl. 6 odst. 1 písm. c) GDPR).</p>"
                ),
                _h("Doba uchování"),
                _p(
                    "<p>Registrace automaticky anonymizujeme 90 dní po konání akce. Podepsané prezenční listiny financovaných projektů "
                    "archivujeme po dobu, kterou stanoví pravidla programu (obvykle 10 let od ukončení projektu).</p>"
                ),
                _h("Vaše práva"),
                _p(
                    "<p>Máte právo na přístup ke svým údajům, na jejich opravu a výmaz, na omezení zpracování, na přenositelnost "
                    "a právo vznést námitku. Registraci můžete kdykoli zrušit odkazem v potvrzovacím e-mailu. "
                    "O výpis nebo výmaz všech údajů nás požádejte e-mailem.</p>"
                ),
                _h("Dozorový úřad"),
                _p(
                    "<p>Máte právo podat stížnost u Úřadu pro ochranu osobních údajů (ÚOOÚ), Pplk. Sochora 27, 170 00 Praha 7, "
                    '<a href="https://uoou.gov.cz">uoou.gov.cz</a>.</p>'
                ),
            ],
        },
        "en": {
            "title": "Privacy notice",
            "summary": "How we process personal data when you register for our events.",
            "body": [
                _h("Controller"),
                _p(
                    "<p>The controller of your personal data is Soused, z. s., company ID 27654321, Nádražní 1024, "
                    '375 01 Týn nad Vltavou, e-mail <a href="mailto:info@kc-soused.example">info@kc-soused.example</a>.</p>'
                ),
                _h("Purpose and scope"),
                _p(
                    "<p>When you register for an event we process your name, e-mail, number of places and, if you give them, "
                    "your phone number and a note. We use them only to book your place, to send you a confirmation, a reminder "
                    "or news of a cancellation, and to keep the attendance sheet that funders require. We do not store IP addresses.</p>"
                ),
                _h("Legal basis"),
                _p(
                    "<p>We process the data because it is necessary to fulfil your request to take part (Art. 6(1)(b) GDPR), "
                    "and for attendance sheets to meet a legal obligation towards the funder (Art. 6(1)(c) GDPR).</p>"
                ),
                _h("Retention"),
                _p(
                    "<p>Registrations are anonymised automatically 90 days after the event. Signed attendance sheets of funded projects "
                    "are archived for as long as the programme rules require (usually 10 years after the project ends).</p>"
                ),
                _h("Your rights"),
                _p(
                    "<p>You have the right to access your data, to have it corrected or erased, to restrict processing, to data "
                    "portability and to object. You can cancel a registration at any time with the link in the confirmation e-mail. "
                    "Ask us by e-mail for a copy or the erasure of everything we hold about you.</p>"
                ),
                _h("Supervisory authority"),
                _p(
                    "<p>You have the right to lodge a complaint with the Office for Personal Data Protection (ÚOOÚ), "
                    'Pplk. Sochora 27, 170 00 Praha 7, <a href="https://uoou.gov.cz">uoou.gov.cz</a>.</p>'
                ),
            ],
        },
    },
}

MENU_SLUGS = {"o-nas"}
EN_SLUGS = {
    "o-nas": "about-us",
    "prohlaseni-o-pristupnosti": "accessibility-statement",
    "ochrana-osobnich-udaju": "privacy-notice",
}


def load_home() -> dict[str, Page]:
    """Build the home page and the standard pages; return the home page per language."""
    cs = locale("cs")
    root = ensure_tree_roots()
    home = HomePage.objects.filter(depth=2, locale=cs).first()
    if home is None:
        home = HomePage(slug="home-cs", locale=cs, **{k: v for k, v in HOME["cs"].items()})
        root.add_child(instance=home)
    for name, value in HOME["cs"].items():
        setattr(home, name, value)
    home.save_revision().publish()

    # Point the default site at the Czech home page and drop Wagtail's placeholder page.
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True)
    # Absolute links (canonical, hreflang, sitemap, e-mails) use the site's public address.
    public = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    site.hostname = public.hostname or "localhost"
    site.port = public.port or (443 if public.scheme == "https" else 80)
    site.root_page = home
    site.site_name = CENTRE_TEXTS[settings.LANGUAGE_CODE]["name"]
    site.save()
    for placeholder in Page.objects.filter(depth=2).exclude(pk=home.pk).not_type(HomePage):
        placeholder.delete()

    home_en = upsert_translation(home, language_code="en", slug="home-en", **HOME["en"])
    homes = {"cs": home, "en": home_en}

    pages = {}
    for slug, texts in PAGES.items():
        page = upsert_child(home, StandardPage, slug=slug, show_in_menus=slug in MENU_SLUGS, **texts["cs"])
        upsert_translation(
            page, language_code="en", slug=EN_SLUGS[slug], show_in_menus=slug in MENU_SLUGS, **texts["en"]
        )
        pages[slug] = page

    centre = CentreSettings.for_site(site)
    for name, value in CENTRE.items():
        setattr(centre, name, value)
    centre.privacy_page = pages["ochrana-osobnich-udaju"]
    centre.accessibility_page = pages["prohlaseni-o-pristupnosti"]
    centre.save()
    for order, (language_code, texts) in enumerate(CENTRE_TEXTS.items()):
        CentreText.objects.update_or_create(
            settings=centre, locale=locale(language_code), defaults={**texts, "sort_order": order}
        )
    if not centre.social_links.exists():
        SocialLink.objects.create(settings=centre, label="Facebook", url="https://www.facebook.com/", sort_order=0)
    return homes


def ensure_demo_admin() -> bool:
    """The demo superuser admin / changeme, only where the settings allow it (development)."""
    if not getattr(settings, "DEMO_ADMIN", False):
        return False
    from django.contrib.auth import get_user_model

    User = get_user_model()
    user, created = User.objects.get_or_create(
        username="admin", defaults={"email": "admin@kc-soused.example", "is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_password("changeme")
        user.save()
    return created
