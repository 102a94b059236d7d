# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Deterministic seed data for the XAPI simulator: a licence, SIP phones with extensions, failover scripts.

Everything comes from random.Random seeded with `--seed`, so one seed always gives the same PBX and
two simulators with different seeds look like different customers. The licence dates are counted
from today (UTC midnight), so a licence never expires while tests run. Phone numbers and domains are
the ones reserved for examples (+44 20 7946 0xxx, +1 202 555 01xx, example.com).
"""

from __future__ import annotations

import datetime
import random
import re
import string

KNOWN_MAC = "805ec0123456"  # the MAC of the XAPI docs' example; phone 1 has it in every seed

COUNTRIES = {
    "AT": "Austria", "AU": "Australia", "BE": "Belgium", "CA": "Canada", "CH": "Switzerland", "CY": "Cyprus",
    "CZ": "Czech Republic", "DE": "Germany", "DK": "Denmark", "ES": "Spain", "FI": "Finland", "FR": "France",
    "GB": "United Kingdom", "GR": "Greece", "IE": "Ireland", "IT": "Italy", "MT": "Malta", "NL": "Netherlands",
    "NO": "Norway", "NZ": "New Zealand", "PL": "Poland", "PT": "Portugal", "SE": "Sweden", "US": "United States",
    "ZA": "South Africa",
}

# (company, country code, contact, telephone)
COMPANIES = [
    ("Acme Widgets Ltd", "GB", "Jane Doe", "+44 20 7946 0321"),
    ("Globex Corporation", "US", "Hank Scorpio", "+1 202 555 0147"),
    ("Initech GmbH", "DE", "Peter Gibbons", "+49 30 901820"),
    ("Umbrella Logistics BV", "NL", "Alice Abernathy", "+31 20 555 0199"),
    ("Soylent Foods SARL", "FR", "Robert Thorn", "+33 1 99 00 12 34"),
    ("Stark Clinics Ltd", "IE", "Pepper Potts", "+353 1 555 0110"),
    ("Wayne Shipping Ltd", "CY", "Lucius Fox", "+357 22 555 010"),
    ("Tyrell Analytics AB", "SE", "Rachael Rosen", "+46 8 555 010 20"),
]

# (vendor, model, installed firmware, newer firmware, capabilities)
MODELS = [
    ("Yealink", "T46U", "108.86.0.45", "108.86.0.75", 31),
    ("Yealink", "T54W", "96.86.0.70", "96.86.0.100", 31),
    ("Yealink", "T57W", "97.86.0.70", "97.86.0.100", 31),
    ("Yealink", "T43U", "108.86.0.45", "108.86.0.75", 31),
    ("Yealink", "T31P", "124.86.0.75", "124.86.0.118", 15),
    ("Fanvil", "X4U", "2.12.1.22", "2.12.4.14", 15),
    ("Fanvil", "X5U", "2.12.1.22", "2.12.4.14", 15),
    ("Fanvil", "X6U", "2.12.1.22", "2.12.4.14", 15),
    ("Snom", "D735", "10.1.175.12", "10.1.184.15", 23),
    ("Snom", "D785", "10.1.175.12", "10.1.184.15", 23),
    ("Snom", "D717", "10.1.175.12", "10.1.184.15", 23),
    ("Grandstream", "GRP2614", "1.0.11.37", "1.0.13.16", 7),
    ("Grandstream", "GRP2615", "1.0.11.37", "1.0.13.16", 7),
    ("Grandstream", "GXP2170", "1.0.11.79", "1.0.11.95", 7),
]

OUIS = {
    "Yealink": ("805ec0", "249ad8", "001565", "44dbd2"),
    "Fanvil": ("0c383e",),
    "Snom": ("000413",),
    "Grandstream": ("000b82", "c074ad", "ec74d7"),
}

FIRST_NAMES = ("Olivia", "Liam", "Amelia", "Noah", "Isla", "Oliver", "Ava", "Leo", "Mia", "Arthur", "Sofia", "Luca",
               "Chloe", "Hugo", "Emma", "Jonas", "Lea", "Mateo", "Nora", "Finn", "Zoe", "Elias", "Ines", "Theo")
LAST_NAMES = ("Smith", "Jones", "Muller", "Rossi", "Garcia", "Dubois", "Jansen", "Nowak", "Murphy", "Papadopoulos",
              "Silva", "Novak", "Berg", "Kowalski", "Walsh", "Fischer", "Costa", "Lambert", "Quinn", "O'Brien")

FAILOVER_SCRIPTS = (
    "Activate backup trunk.sh",
    "notify on-call team.sh",
    "restart services after failover.sh",
    "update DNS (Cloudflare).sh",
    "O'Brien fallback.sh",
    "sync recordings to NAS.sh",
    "Failover - disable inbound rules.sh",
    "route calls to mobiles 2024.sh",
    "failover.sh",
    "check_sbc_health.sh",
)

MODULES = ("CRM", "Reports", "CallFlowDesigner", "HotelModule", "LiveChat", "WhatsApp")
KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def company_of(seed):
    return COMPANIES[seed % len(COMPANIES)]


def pbx_host(seed):
    """The PBX's own name, which provisioning links carry: acme-widgets-ltd.pbx.example.com."""
    return "%s.pbx.example.com" % slug(company_of(seed)[0])


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def licence(seed, today=None):
    """A Pbx.LicenseStatus close to a real Enterprise licence; dates tens of days ahead, depending on the seed."""
    rng = random.Random("licence-%d" % seed)
    company, country, contact, phone = company_of(seed)
    today = today or datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    calls = rng.choice((8, 16, 24, 32, 48, 64, 128))
    domain = slug(company) + ".example.com"
    return {
        "Activated": True,
        "ActiveModules": sorted(rng.sample(MODULES, rng.randint(1, 4))),
        "AdminEMail": "pbx-admin@" + domain,
        "CompanyName": company,
        "ContactName": contact,
        "CountryCode": country,
        "CountryName": COUNTRIES[country],
        "EMail": "%s@%s" % (contact.split()[0].lower(), domain),
        "ExpirationDate": iso(today + datetime.timedelta(days=20 + (seed * 17) % 70)),
        "LicenseActive": True,
        "LicenseKey": "-".join("".join(rng.choice(KEY_ALPHABET) for _index in range(4)) for _index in range(4)),
        "MaintenanceExpiresAt": iso(today + datetime.timedelta(days=10 + (seed * 29) % 80)),
        "MaxSimCalls": calls,
        "ProductCode": "3CX-ENT-%dSC" % calls,
        "ResellerName": "Example Telecom Partners Ltd",
        "SimMeetingParticipants": 25 if calls < 32 else 100,
        "Support": True,
        "Telephone": phone,
        "Version": "20.0.10.904",
    }


def _mac(rng, vendor, taken):
    while True:
        mac = rng.choice(OUIS[vendor]) + "".join(rng.choice("0123456789abcdef") for _index in range(6))
        if mac not in taken:
            taken.add(mac)
            return mac


def _user_agent(vendor, model, firmware):
    if vendor == "Snom":
        return "snom%s/%s" % (model, firmware)
    if vendor == "Yealink":
        return "Yealink SIP-%s %s" % (model, firmware)
    return "%s %s %s" % (vendor, model, firmware)


def _registrar(rng, index, model_row, mac, registered, seed):
    vendor, model, firmware, newer, capabilities = model_row
    outdated = index == 1 or rng.random() < 0.3
    address = "10.%d.%d.%d" % (seed % 250, index // 250, index % 250 + 2) if registered else None
    return {
        "Capabilities": capabilities,
        "FirmwareAvailable": newer if outdated else None,
        "FirmwareVersion": firmware,
        "InterfaceLink": "http://%s/" % address if registered else None,
        "IpAddress": address,
        "MAC": mac,
        "Model": model,
        "UserAgent": _user_agent(vendor, model, firmware) if registered else None,
        "Vendor": vendor,
    }


def _extension(rng, number_index, total):
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    base = 100 if total < 800 else 1000
    return {
        "Hidden": False,
        "Id": 10 + number_index,
        "MemberOf": [{"GroupID": 1, "IsPrimary": True, "Name": "DEFAULT", "Number": "GRP0000", "RoleName": "users"}],
        "Name": "%s %s" % (first, last),
        "Number": str(base + number_index),
        "Tags": [],
        "Type": "Extension",
    }


def _model_weights(rng):
    """Each seed has its own vendor mix: one PBX is mostly Yealink, another has more Snom."""
    vendor_weight = {vendor: rng.randint(1, 6) for vendor in OUIS}
    vendor_weight["Yealink"] += 3
    return [vendor_weight[row[0]] for row in MODELS]


def devices(count, seed):
    """`count` Pbx.SipDevice records (with their DN and registrar), Ids 1..count; phone 1 has KNOWN_MAC."""
    rng = random.Random("devices-%d" % seed)
    weights = _model_weights(rng)
    folder = "".join(rng.choice(string.ascii_lowercase + string.digits) for _index in range(14))
    taken, records, extension = {KNOWN_MAC}, [], None
    for index in range(1, count + 1):
        if index == 1:
            row, mac = MODELS[0], KNOWN_MAC
        else:
            row = rng.choices(MODELS, weights)[0]
            mac = _mac(rng, row[0], taken)
        registered = index == 1 or rng.random() > 0.15
        # Now and then a user has a second phone on the same extension.
        if extension is None or index % 8 != 0:
            extension = _extension(rng, index, count)
        records.append({
            "DN": extension,
            "Id": index,
            "PhoneWebPassword": "".join(rng.choice(string.ascii_letters + string.digits) for _index in range(12)),
            "ProvLink": "https://%s:5001/provisioning/%s/%s.cfg" % (pbx_host(seed), folder, mac),
            "Registrar": _registrar(rng, index, row, mac, registered, seed),
        })
    return records


def failover_scripts(seed):
    """Five to nine of the script names, most with spaces, some with a quote or parentheses; sorted as a directory
    listing. "Activate backup trunk.sh" is always there, so the first name has spaces in every seed."""
    rng = random.Random("failover-%d" % seed)
    chosen = set(rng.sample(FAILOVER_SCRIPTS, rng.randint(5, 8)))
    chosen.add(FAILOVER_SCRIPTS[0])
    return [{"Filename": name} for name in sorted(chosen, key=str.lower)]


# ---------------------------------------------------------------- the configuration a PBX remembers

DEPARTMENTS = ("Sales", "Support", "Accounts", "Warehouse", "Marketing")
BLOCKED = (("+1 202 555 0199", "Robocaller"), ("+44 20 7946 0999", "Nuisance calls"), ("+1 202 555 0111", "Spam"),
           ("anonymous", "Withheld numbers"))
CONTACT_COMPANIES = ("Northwind Traders", "Contoso Ltd", "Fabrikam Inc", "Litware Inc", "Proseware Inc")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def _schedule(start, stop, days=WEEKDAYS):
    return {"Type": "OfficeHours", "IgnoreHolidays": False,
            "Periods": [{"DayOfWeek": day, "Start": start, "Stop": stop} for day in days]}


def configuration(seed):
    """[(entity set, body)] in the order a PBX would be set up, and the OfficeHours, backups and updates.

    The bodies go through the simulator's own create (xapi_store), so the seed obeys every rule a
    client's write does: Ids, numbers, memberships and derived fields come from there.
    Departments: the default one (DEFAULT, Id 1) and two to four more; 12 to 16 extensions from 100, with
    one or two memberships each; a queue, a ring group and an IVR; two trunks (a provider and a bridge);
    one outbound rule over both trunks; one inbound rule; holidays, blocked numbers, contacts, parameters.
    """
    rng = random.Random("configuration-%d" % seed)
    company = company_of(seed)[0]
    domain = slug(company) + ".example.com"
    departments = ["DEFAULT"] + sorted(rng.sample(DEPARTMENTS, rng.randint(2, 4)))
    bodies = [("Groups", {"Name": name, "Language": "EN", "TimeZoneId": "51"}) for name in departments]
    users = []
    for index in range(rng.randint(12, 16)):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        number = str(100 + index)
        groups = [{"GroupId": 1 + (index % len(departments)), "Rights": {"RoleName": "managers" if index < len(departments) else "users"}}]
        if index % 4 == 3:
            groups.append({"GroupId": 1 + ((index + 1) % len(departments)), "Rights": {"RoleName": "users"}})
        users.append(number)
        bodies.append(("Users", {
            "Number": number, "FirstName": first, "LastName": last, "EmailAddress": "%s.%s@%s" % (
                slug(first), slug(last).replace("-", ""), domain),
            "Mobile": "+1 202 555 01%02d" % rng.randint(0, 99), "Language": "EN", "Enabled": True, "Require2FA": False,
            "VMPIN": "%04d" % rng.randint(0, 9999), "AccessPassword": "".join(rng.choice(KEY_ALPHABET) for _letter in range(12)),
            "OutboundCallerID": "", "Groups": groups,
        }))
    bodies += [
        ("Queues", {"Number": "800", "Name": "Sales queue", "PollingStrategy": "LongestWaiting", "RingTimeout": 20,
                    "Agents": [{"Number": users[1]}, {"Number": users[2]}], "Managers": [{"Number": users[0]}]}),
        ("RingGroups", {"Number": "700", "Name": "Reception", "RingStrategy": "RingAll", "RingTime": 20,
                        "Members": [{"Number": users[0]}, {"Number": users[3]}]}),
        ("Receptionists", {"Number": "600", "Name": "Main menu", "Timeout": 10}),
        ("Trunks", {"Number": "10000", "AuthID": "acct%04d" % rng.randint(0, 9999),
                    "AuthPassword": {"Value": "".join(rng.choice(KEY_ALPHABET) for _letter in range(16))},
                    "Direction": "Both", "SimultaneousCalls": 10, "DidNumbers": ["+442079460%03d" % rng.randint(0, 999)],
                    "Gateway": {"Name": "Example SIP provider", "Type": "Provider", "Host": "sip.provider.example.com",
                                "Port": 5060}}),
        ("Trunks", {"Number": "10001", "AuthID": "bridge", "AuthPassword": {"Value": "bridge-" + slug(company)},
                    "Direction": "Both", "SimultaneousCalls": 4,
                    "Gateway": {"Name": "Branch office bridge", "Type": "BridgeMaster", "Host": "branch." + domain,
                                "Port": 5090}}),
        ("OutboundRules", {"Name": "Default route", "Prefix": "", "GroupIds": [1], "NumberLengthRanges": "",
                           "Routes": [{"TrunkId": 1, "StripDigits": 0, "Prepend": ""}, {"TrunkId": 2, "StripDigits": 0}]}),
        ("InboundRules", {"RuleName": "Main number", "Data": "+442079460100", "TrunkDN": {"Number": "10000"},
                          "OfficeHoursDestination": {"To": "RingGroup", "Number": "700"},
                          "OutOfOfficeHoursDestination": {"To": "VoiceMail", "Number": users[0]}}),
        ("Holidays", {"Name": "New Year's Day", "Day": 1, "Month": 1, "DayEnd": 1, "MonthEnd": 1, "IsRecurrent": True,
                      "TimeOfStartDate": "PT0S", "TimeOfEndDate": "PT23H59M"}),
        ("Holidays", {"Name": "Christmas Day", "Day": 25, "Month": 12, "DayEnd": 25, "MonthEnd": 12, "IsRecurrent": True,
                      "TimeOfStartDate": "PT0S", "TimeOfEndDate": "PT23H59M"}),
        ("Holidays", {"Name": "Company day out", "Day": 12, "Month": 6, "Year": 2027, "DayEnd": 12, "MonthEnd": 6,
                      "YearEnd": 2027, "IsRecurrent": False, "TimeOfStartDate": "PT12H", "TimeOfEndDate": "PT23H59M"}),
    ]
    bodies += [("BlackListNumbers", {"CallerId": caller, "Description": description})
               for caller, description in BLOCKED[:rng.randint(2, len(BLOCKED))]]
    for index in range(rng.randint(3, 5)):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        bodies.append(("Contacts", {"FirstName": first, "LastName": last, "CompanyName": CONTACT_COMPANIES[index],
                                    "Business": "+1 202 555 01%02d" % rng.randint(0, 99), "ContactType": "3CX",
                                    "Email": "%s@%s" % (slug(first), slug(CONTACT_COMPANIES[index]) + ".example.com")}))
    bodies += [("Parameters", {"Name": "CUSTOM_RING_TIMEOUT", "Value": "20", "Description": "Set by the seed"}),
               ("Parameters", {"Name": "CUSTOM_SITE_CODE", "Value": str(seed), "Description": "Set by the seed"})]
    return bodies


def settings(seed):
    """Singletons other than OfficeHours that start with content: {name: body}."""
    company = company_of(seed)[0]
    return {"FaxServerSettings": {"Email": "fax@%s.example.com" % slug(company), "AuthId": "fax",
                                  "AuthPassword": {"Value": "fax-" + slug(company)}}}


def office_hours():
    return {"Hours": _schedule("09:00:00", "17:00:00"), "BreakTime": _schedule("12:30:00", "13:00:00"),
            "SystemLanguage": "EN", "TimeZoneId": "51"}


def backups(seed, today=None):
    today = today or datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return [{"FileName": "3CXScheduledBackup.zip", "Size": 52428800 + 1048576 * (seed % 7),
             "CreationTime": iso(today - datetime.timedelta(days=1)),
             "DownloadLink": "/xapi/v1/Backups/Pbx.DownloadBackup(file='3CXScheduledBackup.zip')"}]


def function_settings(seed):
    """The settings the store answers through GetX() functions (SETTINGS_FUNCTIONS): {name: value}.

    Chosen: a nightly backup of everything but recordings, kept on the PBX's own disk under the backup folder of
    a Debian install; the hour and the number kept vary with the seed.
    """
    return {
        "BackupSettings": {
            "ScheduleEnabled": True,
            "Rotation": 3 + seed % 5,
            "Schedule": {"ScheduleType": "Daily", "Time": "%02d:00:00" % (1 + seed % 4), "Day": "Sunday",
                         "RepeatHours": 0, "RepeatMinutes": 0},
            "Contents": {"CallHistory": True, "DisableBackupCompression": False, "EncryptBackup": False, "FQDN": True,
                         "License": True, "PhoneProvisioning": True, "Prompts": True, "Recordings": False,
                         "VoiceMails": True},
        },
        "BackupRepositorySettings": {
            "Location": {"FileSystemType": "Local", "LocalPath": "/var/lib/3cxpbx/Instance1/Data/Backups"},
        },
    }


def updates(seed):
    """GetUpdates(): the PBX itself and two phone firmwares out of date, prompts up to date."""
    rng = random.Random("updates-%d" % seed)

    def guid():
        return str(uuid_from(rng))

    entries = [
        {"Guid": guid(), "Category": "3CX", "Name": "3CX Phone System", "LocalVersion": "20.0.10.%d" % rng.randint(100, 199),
         "ServerVersion": "20.0.11.%d" % rng.randint(100, 199), "OutOfDate": True, "Description": "PBX update",
         "DescriptionLink": "https://www.example.com/changelog", "Image": "", "Ignore": False, "HasExtraDetails": False},
        {"Guid": guid(), "Category": "Firmware", "Name": "Yealink T4x firmware", "LocalVersion": "108.86.0.45",
         "ServerVersion": "108.86.0.75", "OutOfDate": True, "Description": "Phone firmware", "DescriptionLink": "",
         "Image": "", "Ignore": False, "HasExtraDetails": False},
        {"Guid": guid(), "Category": "Firmware", "Name": "Fanvil X series firmware", "LocalVersion": "2.12.1.22",
         "ServerVersion": "2.12.4.14", "OutOfDate": True, "Description": "Phone firmware", "DescriptionLink": "",
         "Image": "", "Ignore": False, "HasExtraDetails": False},
        {"Guid": guid(), "Category": "Prompts", "Name": "English (UK) prompts", "LocalVersion": "20.0.3",
         "ServerVersion": "20.0.3", "OutOfDate": False, "Description": "Prompt set", "DescriptionLink": "",
         "Image": "", "Ignore": False, "HasExtraDetails": False},
    ]
    return {"Key": guid(), "Entries": entries}


def uuid_from(rng):
    import uuid
    return uuid.UUID(int=rng.getrandbits(128), version=4)
