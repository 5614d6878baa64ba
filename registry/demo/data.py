"""Demo office: Urząd Gminy Zielona Dolina. Used by `manage.py load_demo` (and nothing else)."""

UNITS = [
    # symbol, name, parent
    ("SK", "Sekretariat", None),
    ("OR", "Wydział Organizacyjny", None),
    ("RB", "Wydział Rozwoju i Budownictwa", None),
    ("RB-A", "Referat Architektury i Planowania", "RB"),
    ("GN", "Referat Gospodarki Nieruchomościami", None),
    ("OŚ", "Referat Ochrony Środowiska", None),
    ("FN", "Wydział Finansowy", None),
    ("RG", "Biuro Rady Gminy", None),
]

# username, first name, last name, position, [(unit, role)]
USERS = [
    ("kancelaria", "Anna", "Nowicka", "podinspektor ds. kancelaryjnych", [("OR", "clerk")]),
    ("kancelaria2", "Piotr", "Zieliński", "referent ds. kancelaryjnych", [("OR", "clerk")]),
    ("sekretarz", "Barbara", "Wójcik", "sekretarz gminy", [("SK", "secretary")]),
    ("archiwista", "Tomasz", "Kamiński", "archiwista zakładowy", [("OR", "archivist")]),
    ("kierownik_or", "Ewa", "Lewandowska", "kierownik Wydziału Organizacyjnego", [("OR", "head")]),
    ("kierownik_rb", "Marek", "Dąbrowski", "kierownik Wydziału Rozwoju i Budownictwa", [("RB", "head")]),
    ("kierownik_gn", "Jolanta", "Szymańska", "kierownik Referatu Gospodarki Nieruchomościami", [("GN", "head")]),
    ("kierownik_os", "Krzysztof", "Woźniak", "kierownik Referatu Ochrony Środowiska", [("OŚ", "head")]),
    ("referent_or", "Magdalena", "Kozłowska", "inspektor", [("OR", "worker")]),
    ("referent_rb", "Paweł", "Jankowski", "inspektor ds. budownictwa", [("RB", "worker")]),
    ("referent_rba", "Agnieszka", "Mazur", "inspektor ds. planowania przestrzennego", [("RB-A", "worker")]),
    ("referent_gn", "Łukasz", "Krawczyk", "inspektor ds. nieruchomości", [("GN", "worker")]),
    ("referent_os", "Katarzyna", "Piotrowska", "inspektor ds. ochrony środowiska", [("OŚ", "worker")]),
    ("radca", "Grzegorz", "Grabowski", "radca prawny", [("OR", "worker")]),
    ("wojt", "Stanisław", "Pawłowski", "wójt gminy", [("SK", "head")]),
    ("admin", "Adam", "Michalski", "administrator systemu", [("OR", "admin")]),
    ("zastepca", "Monika", "Kaczmarek", "zastępca kierownika Wydziału Rozwoju i Budownictwa", [("RB", "worker")]),
]

# Substitutions in force: principal, substitute, first day (days from today), last day, reason, may sign.
SUBSTITUTIONS = [
    ("kierownik_rb", "zastepca", -3, 11, "urlop wypoczynkowy", True),
    ("referent_os", "referent_gn", -1, 4, "zwolnienie lekarskie", False),
]

# Deliveries nobody has assigned yet, one per channel (ePUAP intake and API registrations come without a unit):
# subject, channel, form, sender index.
UNASSIGNED = [
    ("Wniosek o wydanie zaświadczenia o niezaleganiu w podatkach", "epuap", "electronic", 0),
    ("Pismo w sprawie ustalenia numeru porządkowego budynku", "edoreczenia", "electronic", 3),
    ("Prośba o kopię uchwały w sprawie opłat za wodę", "email", "electronic", 6),
    ("Zgłoszenie awarii oświetlenia ulicznego przy ul. Polnej", "post", "paper", 2),
    ("Podanie o przyjęcie na praktykę studencką", "in_person", "paper", 1),
]

SCAN_LINES = [
    "Zielona Dolina, 3 listopada 2026 r.",
    "",
    "Jan Kowalski",
    "ul. Lipowa 12, 12-345 Zielona Dolina",
    "",
    "Urząd Gminy Zielona Dolina",
    "",
    "WNIOSEK O ZEZWOLENIE NA USUNIĘCIE DRZEW",
    "",
    "Wnoszę o wydanie zezwolenia na usunięcie trzech lip",
    "rosnących na działce nr 45/2 przy ul. Polnej.",
    "Drzewa są obumarłe i zagrażają bezpieczeństwu.",
    "",
    "Z poważaniem",
    "Jan Kowalski",
]

POSITIONS = [("radca_prawny", "Radca prawny", "radca"), ("wojt", "Wójt Gminy", "wojt"),
             ("sekretarz", "Sekretarz Gminy", "sekretarz")]

CORRESPONDENTS = [
    {"kind": "person", "first_name": "Jan", "last_name": "Kowalski", "pesel": "44051401359", "street": "Lipowa",
     "building_number": "12", "postal_code": "12-345", "city": "Zielona Dolina", "email": "jan.kowalski@example.pl"},
    {"kind": "person", "first_name": "Żaneta", "last_name": "Ślęzak", "street": "Źródlana", "building_number": "5",
     "postal_code": "12-345", "city": "Łękołody", "ade": "AE:PL-28080-40239-TUSBF-26"},
    {"kind": "person", "first_name": "Grzegorz", "last_name": "Brzęczyszczykiewicz", "pesel": "02070803628",
     "street": "Polna", "building_number": "3", "postal_code": "12-346", "city": "Chrząszczyżewoszyce"},
    {"kind": "institution", "name": "Przedsiębiorstwo Budowlane „Dom-Bud” Sp. z o.o.", "nip": "1234563218",
     "regon": "123456785", "krs": "0000123456", "street": "Przemysłowa", "building_number": "7",
     "postal_code": "12-300", "city": "Miastko Wielkie", "ade": "AE:PL-43563-82585-JHWCF-30"},
    {"kind": "institution", "name": "Stowarzyszenie Przyjaciół Zielonej Doliny", "krs": "0000654321",
     "street": "Rynek", "building_number": "1", "postal_code": "12-345", "city": "Zielona Dolina",
     "epuap_address": "/spzd/SkrytkaESP"},
    {"kind": "institution", "name": "Regionalna Dyrekcja Ochrony Środowiska", "street": "Ekologiczna",
     "building_number": "2", "postal_code": "10-001", "city": "Wojewódzkie Miasto",
     "epuap_address": "/rdos/SkrytkaESP"},
    {"kind": "person", "first_name": "Maria", "last_name": "Wiśniewska", "street": "Kwiatowa",
     "building_number": "8", "flat_number": "2", "postal_code": "12-345", "city": "Zielona Dolina",
     "email": "m.wisniewska@example.pl"},
    {"kind": "institution", "name": "Samorządowe Kolegium Odwoławcze", "street": "Sądowa", "building_number": "4",
     "postal_code": "10-002", "city": "Wojewódzkie Miasto", "ade": "AE:PL-11111-22222-SKOAB-11"},
]

# subject, channel, form, sender index, addressed unit, jrwa class for the case (or None), case worker username
DELIVERIES = [
    ("Wniosek o wydanie decyzji o warunkach zabudowy dla budynku mieszkalnego jednorodzinnego, dz. nr 123/4",
     "post", "paper", 0, "RB", "6730", "referent_rb"),
    ("Wniosek o udostępnienie informacji publicznej – wykaz umów zawartych w 2025 r.", "edoreczenia", "electronic",
     1, "OR", "1431", "referent_or"),
    ("Skarga na przewlekłe prowadzenie postępowania w sprawie warunków zabudowy", "epuap", "electronic", 2, "OR",
     "1510", "referent_or"),
    ("Petycja w sprawie budowy chodnika przy ul. Lipowej", "epuap", "electronic", 4, "RG", "152", "referent_or"),
    ("Wniosek o wydanie zezwolenia na usunięcie drzew (3 lipy) z nieruchomości przy ul. Polnej",
     "in_person", "paper", 6, "OŚ", "6131", "referent_os"),
    ("Wniosek o wydanie wypisu i wyrysu z miejscowego planu zagospodarowania przestrzennego", "email",
     "electronic", 3, "RB-A", "6727", "referent_rba"),
    ("Wniosek o podział nieruchomości położonej w obrębie Zielona Dolina", "post", "paper", 3, "GN", "6831",
     "referent_gn"),
    ("Zawiadomienie RDOŚ o wszczęciu postępowania w sprawie środowiskowych uwarunkowań", "epuap", "electronic",
     5, "OŚ", "6220", "referent_os"),
    ("Odwołanie od decyzji o warunkach zabudowy – przekazanie do SKO", "post", "paper", 0, "RB", "6730",
     "referent_rb"),
    ("Wniosek o dzierżawę gruntu gminnego pod ogródek przydomowy", "post", "paper", 6, "GN", "6845",
     "referent_gn"),
    ("Zapytanie o stan sprawy dotyczącej decyzji o warunkach zabudowy", "email", "electronic", 0, "RB", None, None),
    ("Oferta szkoleniowa – zarządzanie dokumentacją w urzędzie", "email", "electronic", 3, None, None, None),
]

LETTER_TEXT = """Urząd Gminy Zielona Dolina
ul. Rynek 1, 12-345 Zielona Dolina

{subject}

Szanowni Państwo,
zwracam się z uprzejmą prośbą o rozpatrzenie niniejszego wniosku. Do wniosku załączam dokumenty
potwierdzające prawo do dysponowania nieruchomością oraz mapę zasadniczą. Proszę o doręczenie
rozstrzygnięcia na adres do doręczeń elektronicznych albo listem poleconym.

Z poważaniem
{sender}
"""
