"""Generate the three sample organisations under ``data/samples/``.

The committed files are what matters; this script documents how they were made
and regenerates them byte-for-byte (fixed seed, stdlib only plus openpyxl).

    python data/samples/make_samples.py

Items are hand-authored (real vendor and product names, plausible costs); the
seeded generator only jitters costs, draws ids/dates and blanks a share of
descriptions. The ``intent`` tag on each item is the designer's intended
purpose (IT / OT / CT, or ``?`` for deliberately ambiguous items). It is NOT
written to the portfolio files and is not ground truth: it only backs the
rough purpose mix stated in ``README.md`` (printed by this script).
"""
from __future__ import annotations

import csv
import datetime as dt
import random
import uuid
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20240611


# ---------------------------------------------------------------------------
# 1. Harbour & Vale Advisory -- spreadsheet, semicolon, cp1252, EU numbers
# ---------------------------------------------------------------------------
ADVISORY_HEADERS = [
    "App ID", "Application", "Vendor", "Description", "Category", "Used by",
    "Hosting", "Business owner", "Approved by IT", "Annual cost (EUR)",
    "Status", "Criticality", "Comments",
]

# (name, vendor, description, category, used_by, hosting, owner, approved,
#  annual cost EUR or None, status, criticality, intent, comments)
ADVISORY = [
    # --- core workplace / IT -------------------------------------------------
    ("Microsoft 365 E3", "Microsoft", "Office apps, Exchange Online mailboxes and OneDrive for all staff", "Collaboration", "All staff", "SaaS", "Priya Raman (IT)", "Yes", 310000, "Live", "High", "IT", ""),
    ("Microsoft Teams", "Microsoft", "Chat, meetings and calling; included in M365 licence", "Collaboration", "All staff", "SaaS", "Priya Raman (IT)", "Yes", 0, "Live", "High", "IT", "cost in M365 line"),
    ("SharePoint Online", "Microsoft", "Intranet and practice team sites", "Collaboration", "All staff", "SaaS", "Priya Raman (IT)", "Yes", 0, "Live", "Medium", "IT", ""),
    ("Microsoft Copilot for M365", "Microsoft", "Generative AI assistant in Word/Outlook/Teams – pilot with 60 consultants", "AI", "Consultants", "SaaS", "Priya Raman (IT)", "Yes", 21600, "Pilot", "Low", "IT", "licence ~€30 per user per month"),
    ("Deltek Maconomy", "Deltek", "Project accounting, time & expense, billing (ERP for professional services)", "Finance", "All staff", "Vendor hosted", "Henrik Vos (Finance)", "Yes", 185000, "Live", "High", "IT", ""),
    ("Workday HCM", "Workday", "Core HR, absence, performance reviews", "HR", "All staff", "SaaS", "Amélie Durand (HR)", "Yes", 142000, "Live", "High", "IT", ""),
    ("SAP Concur", "SAP", "Travel booking and expense claims", "Finance", "All staff", "SaaS", "Henrik Vos (Finance)", "Yes", 48500, "Live", "Medium", "IT", ""),
    ("Salesforce Sales Cloud", "Salesforce", "Pipeline, opportunities and client relationship data for partners", "CRM", "Partners; business development", "SaaS", "Olivia Brennan (BD)", "Yes", 96000, "Live", "High", "?", "used internally but all about clients"),
    ("Intapp Open", "Intapp", "Conflict checks and new-engagement intake", "Risk", "Risk team", "SaaS", "Tomás Ruiz (Risk)", "Yes", 61000, "Live", "High", "IT", ""),
    ("Intapp Time", "Intapp", "Passive time capture for fee earners", "Finance", "Consultants", "SaaS", "Henrik Vos (Finance)", "Yes", 39000, "Live", "Medium", "IT", ""),
    ("iManage Work", "iManage", "Document management system for engagement files", "Knowledge", "All staff", "SaaS", "Priya Raman (IT)", "Yes", 88000, "Live", "High", "IT", ""),
    ("Power BI Pro", "Microsoft", "Dashboards for utilisation, WIP and practice P&L", "Analytics", "Partners; finance", "SaaS", "Henrik Vos (Finance)", "Yes", 14400, "Live", "Medium", "IT", ""),
    ("Tableau", "Salesforce", "", "Analytics", "Data & Analytics practice", "SaaS", "Kwame Mensah (Data practice)", "Yes", 22500, "Retiring", "Low", "IT", "moving to Power BI"),
    ("Alteryx Designer", "Alteryx", "Data preparation for client analytics engagements", "Analytics", "Consultants", "Desktop", "Kwame Mensah (Data practice)", "Yes", 37800, "Live", "Medium", "IT", ""),
    ("Snowflake", "Snowflake", "Analytics warehouse for engagement data", "Data platform", "Data & Analytics practice", "SaaS", "Kwame Mensah (Data practice)", "Yes", 54000, "Live", "Medium", "IT", ""),
    ("Azure OpenAI proposal writer", "Microsoft", "Proof of concept: drafts proposal sections from past credentials", "AI", "Business development", "Azure", "Olivia Brennan (BD)", "Yes", 6000, "Proof of concept", "Low", "IT", ""),
    ("ChatGPT Team", "OpenAI", "Bought on a partner's card by the Strategy practice", "AI", "Strategy practice", "SaaS", "", "No", 7200, "Live", "", "IT", "not reviewed by InfoSec"),
    ("Otter.ai", "Otter.ai", "Meeting transcription", "Productivity", "Consultants", "SaaS", "", "No", 1900, "Live", "", "IT", "found in expense claims"),
    ("Grammarly Business", "Grammarly", "", "Productivity", "Marketing", "SaaS", "", "No", 2400, "Live", "Low", "IT", ""),
    ("Notion", "Notion Labs", "Team wiki used by the Digital practice", "Knowledge", "Digital practice", "SaaS", "", "No", 3100, "Live", "", "IT", ""),
    ("Slack", "Salesforce", "Chat workspace of the Digital practice", "Collaboration", "Digital practice", "SaaS", "", "No", 8400, "Live", "", "IT", "duplicate of Teams"),
    ("Miro", "Miro", "Whiteboards for workshops (IT-approved enterprise plan)", "Collaboration", "Consultants", "SaaS", "Priya Raman (IT)", "Yes", 19800, "Live", "Medium", "IT", ""),
    ("Miro", "Miro", "Second Miro account, paid by People Advisory practice", "Collaboration", "People Advisory practice", "SaaS", "", "No", 2600, "Live", "", "IT", "consolidate into enterprise plan"),
    ("Trello", "Atlassian", "Task boards", "Productivity", "Marketing", "SaaS", "", "", None, "Live", "", "IT", ""),
    ("Asana", "Asana", "Engagement task tracking, Transaction Services", "Productivity", "Transaction Services", "SaaS", "", "No", 5400, "Live", "", "IT", ""),
    ("monday.com", "monday.com", "", "Productivity", "Operations Consulting", "SaaS", "", "No", 4300, "Pilot", "", "IT", ""),
    ("Dropbox", "Dropbox", "File sharing with some clients' teams", "File sharing", "Consultants", "SaaS", "", "No", 2900, "Live", "", "?", "data-leak risk"),
    ("WeTransfer Pro", "WeTransfer", "Large file transfer", "File sharing", "Marketing", "SaaS", "", "No", 480, "Live", "", "IT", ""),
    ("Smartsheet", "Smartsheet", "PMO plans for large transformation programmes", "Productivity", "Transformation practice", "SaaS", "Jonas Lindqvist (Transformation)", "", 12600, "Live", "Medium", "IT", ""),
    ("Jira Software", "Atlassian", "Backlogs for internal IT and client delivery squads", "Delivery", "IT; Digital practice", "SaaS", "Priya Raman (IT)", "Yes", 15300, "Live", "Medium", "IT", ""),
    ("Confluence", "Atlassian", "", "Knowledge", "IT; Digital practice", "SaaS", "Priya Raman (IT)", "Yes", 9800, "Live", "Low", "IT", ""),
    ("Atlassian", "Atlassian", "", "", "", "", "", "", None, "Live", "", "IT", "vendor line from finance ledger"),
    ("GitHub Enterprise", "GitHub", "Source code for client accelerators and internal tools", "Delivery", "Digital practice", "SaaS", "Kwame Mensah (Data practice)", "Yes", 11000, "Live", "Medium", "IT", ""),
    ("Lucidchart", "Lucid Software", "Diagrams", "Productivity", "Consultants", "SaaS", "", "No", 3600, "Live", "", "IT", ""),
    ("Adobe Creative Cloud", "Adobe", "Design of reports and thought-leadership publications", "Marketing", "Marketing", "SaaS", "Chloé Martin (Marketing)", "Yes", 16800, "Live", "Low", "IT", ""),
    ("Adobe", "Adobe", "", "", "Finance", "", "", "", 4200, "Live", "", "IT", "Acrobat? to check"),
    ("Canva", "Canva", "Social graphics", "Marketing", "Marketing", "SaaS", "", "No", 1100, "Live", "", "IT", ""),
    ("Bloomberg Terminal", "Bloomberg", "Market data for Corporate Finance", "Research", "Corporate Finance", "Desktop", "Rafael Costa (Corporate Finance)", "Yes", 96000, "Live", "High", "IT", "4 terminals"),
    ("S&P Capital IQ", "S&P Global", "Company financials and comparables", "Research", "Corporate Finance; Strategy", "SaaS", "Rafael Costa (Corporate Finance)", "Yes", 118000, "Live", "High", "IT", ""),
    ("PitchBook", "Morningstar", "Private-market deal data", "Research", "Transaction Services", "SaaS", "Rafael Costa (Corporate Finance)", "Yes", 42000, "Live", "Medium", "IT", ""),
    ("Gartner research portal", "Gartner", "", "Research", "Technology practice", "SaaS", "", "Yes", 64000, "Live", "Low", "IT", ""),
    ("LinkedIn Sales Navigator", "Microsoft", "Prospecting for business development", "CRM", "Partners", "SaaS", "Olivia Brennan (BD)", "Yes", 23000, "Live", "Low", "?", ""),
    ("ZoomInfo", "ZoomInfo", "Contact data for prospecting", "CRM", "Business development", "SaaS", "", "No", 18500, "Live", "", "?", "bought by BD without IT"),
    ("Cornerstone OnDemand", "Cornerstone", "Learning management and compliance training", "HR", "All staff", "SaaS", "Amélie Durand (HR)", "Yes", 33000, "Live", "Medium", "IT", ""),
    ("LinkedIn Learning", "Microsoft", "", "HR", "All staff", "SaaS", "Amélie Durand (HR)", "Yes", 21000, "Live", "Low", "IT", ""),
    ("Greenhouse", "Greenhouse Software", "Graduate and experienced-hire recruiting", "HR", "HR; recruiters", "SaaS", "Amélie Durand (HR)", "Yes", 27500, "Live", "Medium", "?", "candidates use the careers portal"),
    ("HireVue", "HireVue", "Video interviews for graduate intake", "HR", "Recruiters; candidates", "SaaS", "Amélie Durand (HR)", "Yes", 19000, "Retiring", "Low", "?", ""),
    ("Culture Amp", "Culture Amp", "Engagement surveys", "HR", "All staff", "SaaS", "Amélie Durand (HR)", "Yes", 12400, "Live", "Low", "IT", ""),
    ("ServiceNow ITSM", "ServiceNow", "IT service desk, incidents and requests", "IT management", "All staff", "SaaS", "Priya Raman (IT)", "Yes", 58000, "Live", "High", "IT", ""),
    ("Okta Workforce Identity", "Okta", "Single sign-on and MFA", "Security", "All staff", "SaaS", "Priya Raman (IT)", "Yes", 41000, "Live", "High", "IT", ""),
    ("CrowdStrike Falcon", "CrowdStrike", "Endpoint detection and response", "Security", "IT", "SaaS", "Priya Raman (IT)", "Yes", 52000, "Live", "High", "IT", ""),
    ("Zscaler Internet Access", "Zscaler", "Secure web gateway", "Security", "All staff", "SaaS", "Priya Raman (IT)", "Yes", 47000, "Live", "High", "IT", ""),
    ("Mimecast", "Mimecast", "Email security and archiving", "Security", "All staff", "SaaS", "Priya Raman (IT)", "Yes", 26000, "Live", "High", "IT", ""),
    ("KnowBe4", "KnowBe4", "Phishing simulation and awareness training", "Security", "All staff", "SaaS", "Priya Raman (IT)", "Yes", 9100, "Live", "Low", "IT", ""),
    ("Microsoft Intune", "Microsoft", "Device management for laptops and company phones", "Endpoint", "IT", "SaaS", "Priya Raman (IT)", "Yes", 0, "Live", "High", "IT", "in M365 line"),
    ("Jamf Pro", "Jamf", "Mac and iPad management", "Endpoint", "IT", "SaaS", "Priya Raman (IT)", "Yes", 7300, "Live", "Medium", "IT", ""),
    ("Lenovo ThinkPad fleet", "Lenovo", "Staff laptops, 4-year refresh", "Endpoint", "All staff", "Device", "Priya Raman (IT)", "Yes", 410000, "Live", "High", "IT", "capex spread"),
    ("BYOD iPhones", "Apple", "Personal iPhones with Outlook and Teams; not enrolled in Intune", "Endpoint", "Partners; consultants", "Personal device", "", "No", None, "Live", "", "IT", "about 300 devices"),
    ("Personal Android phones", "Samsung", "", "Endpoint", "Consultants", "Personal device", "", "", None, "Live", "", "IT", ""),
    ("Veeam Backup & Replication", "Veeam", "Backups of file servers and M365", "Infrastructure", "IT", "On-prem", "Priya Raman (IT)", "Yes", 8800, "Live", "High", "IT", ""),
    ("VMware vSphere", "Broadcom", "Virtualisation for remaining on-prem servers", "Infrastructure", "IT", "On-prem", "Priya Raman (IT)", "Yes", 36000, "Retiring", "Medium", "IT", "price rise after Broadcom"),
    ("Palo Alto firewalls", "Palo Alto Networks", "Office perimeter firewalls London, Amsterdam, Zürich", "Network", "IT", "On-prem", "Priya Raman (IT)", "Yes", 29000, "Live", "High", "IT", ""),
    ("Cisco Meraki Wi-Fi", "Cisco", "Office Wi-Fi and guest network", "Network", "All staff; visitors", "Cloud managed", "Priya Raman (IT)", "Yes", 17500, "Live", "Medium", "IT", ""),
    ("RingCentral", "RingCentral", "Telephony and contact numbers", "Collaboration", "All staff", "SaaS", "Priya Raman (IT)", "Yes", 22000, "Live", "Medium", "IT", ""),
    ("Webex", "Cisco", "Legacy video meetings", "Collaboration", "All staff", "SaaS", "Priya Raman (IT)", "Yes", 6400, "Retiring", "Low", "IT", "contract ends Q3"),
    ("Zoom", "Zoom", "Meetings with clients who do not use Teams", "Collaboration", "Consultants", "SaaS", "Priya Raman (IT)", "Yes", 8900, "Live", "Medium", "?", ""),
    ("Zoom", "Zoom", "Pro licences expensed by the Zürich office", "Collaboration", "Zürich office", "SaaS", "", "No", 1300, "Live", "", "?", "duplicate name"),
    ("Calendly", "Calendly", "Clients book slots with partners", "Scheduling", "Partners; clients", "SaaS", "", "No", 900, "Live", "", "CT", ""),
    ("Xero", "Xero", "Bookkeeping for the Singapore entity", "Finance", "Finance", "SaaS", "Henrik Vos (Finance)", "", 1800, "Live", "Medium", "IT", ""),
    ("Sage 50", "Sage", "Zürich entity accounts before Maconomy rollout", "Finance", "Finance", "On-prem", "Henrik Vos (Finance)", "Yes", 1200, "Retiring", "Low", "IT", ""),
    ("Coupa", "Coupa", "Purchase requests and supplier invoices", "Finance", "All staff", "SaaS", "Henrik Vos (Finance)", "Yes", 39000, "Live", "Medium", "IT", ""),
    ("Condeco desk booking", "Eptura", "Hot-desk and meeting-room booking", "Workplace", "All staff", "SaaS", "Facilities", "Yes", 14000, "Live", "Low", "IT", ""),
    ("Kantata", "Kantata", "Resource planning and staffing of consultants", "Delivery", "Resource managers", "SaaS", "Jonas Lindqvist (Transformation)", "Yes", 44000, "Pilot", "Medium", "IT", "may replace Maconomy resourcing"),
    ("Thomson Reuters Checkpoint", "Thomson Reuters", "Tax research library", "Research", "Tax practice", "SaaS", "", "Yes", 26000, "Live", "Medium", "IT", ""),
    ("Wolters Kluwer", "Wolters Kluwer", "", "", "Tax practice", "", "", "", 15500, "Live", "", "IT", ""),
    ("IBM Notes knowledge base", "HCL", "Old credentials database; read only", "Knowledge", "Business development", "On-prem", "Priya Raman (IT)", "Yes", 3000, "Retiring", "Low", "IT", ""),
    ("DeepL Pro", "DeepL", "Translation of German and French client documents", "Productivity", "Consultants", "SaaS", "", "No", 2200, "Live", "", "IT", "confidential data pasted in"),
    ("Loom", "Atlassian", "Screen recordings", "Productivity", "Digital practice", "SaaS", "", "No", 700, "Live", "", "IT", ""),
    # --- client-facing (CT) ---------------------------------------------------
    ("HighQ Client Hub", "Thomson Reuters", "Secure client portal: deliverables, status reports, document exchange", "Client portal", "Clients; engagement teams", "SaaS", "Olivia Brennan (BD)", "Yes", 72000, "Live", "High", "CT", ""),
    ("Client extranet (legacy)", "In-house", "ASP.NET extranet replaced by HighQ", "Client portal", "Clients", "On-prem", "Priya Raman (IT)", "Yes", 9000, "Retiring", "Medium", "CT", "switch-off after last migration"),
    ("harbourvale.com", "Sitecore", "Corporate website and insights hub", "Website", "Clients; prospects; candidates", "SaaS", "Chloé Martin (Marketing)", "Yes", 58000, "Live", "High", "CT", ""),
    ("H&V Insights app", "In-house", "Client mobile app (iOS/Android): research, event invites, partner contacts", "Mobile app", "Clients", "Azure", "Chloé Martin (Marketing)", "Yes", 46000, "Live", "Medium", "CT", "built by agency, run by IT"),
    ("Qwilr", "Qwilr", "Interactive proposal web pages sent to prospects", "Proposals", "Partners; prospects", "SaaS", "", "No", 4800, "Live", "", "CT", "proposal sites"),
    ("Proposal microsites", "WordPress VIP", "One-page sites per major bid", "Proposals", "Prospects", "SaaS", "Olivia Brennan (BD)", "Yes", 12000, "Pilot", "Low", "CT", ""),
    ("ON24", "ON24", "Webinar platform for client events", "Events", "Clients; prospects", "SaaS", "Chloé Martin (Marketing)", "Yes", 38000, "Live", "Medium", "CT", ""),
    ("Zoom Webinars", "Zoom", "", "Events", "Clients", "SaaS", "", "No", 2900, "Live", "", "CT", "bought by People Advisory"),
    ("Cvent", "Cvent", "Client conferences and roundtables registration", "Events", "Clients", "SaaS", "Chloé Martin (Marketing)", "Yes", 27000, "Live", "Medium", "CT", ""),
    ("HubSpot Marketing Hub", "HubSpot", "Newsletters, campaigns and landing pages", "Marketing automation", "Marketing", "SaaS", "Chloé Martin (Marketing)", "Yes", 31000, "Live", "Medium", "CT", ""),
    ("Mailchimp", "Intuit", "Newsletter of the Sustainability practice", "Marketing automation", "Sustainability practice", "SaaS", "", "No", 1500, "Live", "", "CT", ""),
    ("Hootsuite", "Hootsuite", "Social media scheduling", "Marketing", "Marketing", "SaaS", "Chloé Martin (Marketing)", "Yes", 5200, "Live", "Low", "CT", ""),
    ("Qualtrics CX", "SAP", "Client satisfaction and NPS surveys after each engagement", "Client feedback", "Clients; partners", "SaaS", "Olivia Brennan (BD)", "Yes", 29000, "Live", "Medium", "CT", ""),
    ("SurveyMonkey", "SurveyMonkey", "Quick polls for clients during workshops", "Client feedback", "Consultants; clients", "SaaS", "", "No", 1100, "Live", "", "CT", ""),
    ("DocuSign eSignature", "DocuSign", "Engagement letters signed by clients", "Contracts", "Partners; clients", "SaaS", "Tomás Ruiz (Risk)", "Yes", 17500, "Live", "Medium", "CT", ""),
    ("Datasite", "Datasite", "Virtual data rooms for M&A clients", "Deal rooms", "Transaction Services; clients", "SaaS", "Rafael Costa (Corporate Finance)", "Yes", 64000, "Live", "High", "CT", "charged back to clients"),
    ("Intralinks", "SS&C", "", "Deal rooms", "Transaction Services; clients", "SaaS", "", "", 21000, "Retiring", "", "CT", ""),
    ("Client onboarding portal", "In-house", "KYC questionnaires and ID documents uploaded by new clients", "Client portal", "Clients; Risk team", "Azure", "Tomás Ruiz (Risk)", "Yes", 18000, "Live", "High", "CT", ""),
    ("Benchmarking tool", "In-house", "Clients compare their KPIs with anonymised peers (Power BI Embedded)", "Client analytics", "Clients", "Azure", "Kwame Mensah (Data practice)", "Yes", 24000, "Live", "Medium", "CT", ""),
    ("Maturity self-assessment", "In-house", "Online questionnaire prospects fill in; leads go to HubSpot", "Client analytics", "Prospects", "Azure", "Kwame Mensah (Data practice)", "", 8000, "Proof of concept", "Low", "CT", ""),
    ("Website chatbot", "Intercom", "AI chat on harbourvale.com answering prospect questions", "Website", "Prospects; clients", "SaaS", "Chloé Martin (Marketing)", "Yes", 9600, "Pilot", "Low", "CT", ""),
    ("Client billing portal", "Basware", "Clients download invoices and statements", "Finance", "Clients", "SaaS", "Henrik Vos (Finance)", "Yes", 11000, "Live", "Medium", "CT", ""),
    ("Buzzsprout", "Buzzsprout", "Podcast \"The Advisory Hour\"; episodes for clients", "Marketing", "Clients; prospects", "SaaS", "", "No", 300, "Live", "", "CT", ""),
    ("Envoy visitor management", "Envoy", "Visitors sign in on an iPad at reception; badge printing; NDA signing", "Workplace", "Visitors; reception", "SaaS", "Facilities", "Yes", 6300, "Live", "Low", "?", ""),
    # --- physical / building (OT) ---------------------------------------------
    ("Zürich office badge system", "Gallagher", "Door access control readers and controllers, Zürich office", "Building", "Facilities", "On-prem", "Facilities", "Yes", 7400, "Live", "Medium", "OT", ""),
    ("London access control", "Paxton", "Net2 door controllers and card readers; managed by landlord", "Building", "Facilities", "On-prem", "Facilities", "", 5200, "Live", "Medium", "OT", ""),
    ("CCTV", "Axis Communications", "Cameras in reception and server room; recording on Milestone XProtect", "Building", "Facilities", "On-prem", "Facilities", "Yes", 6900, "Live", "Medium", "OT", ""),
    ("Meeting-room occupancy sensors", "Disruptive Technologies", "Wireless motion sensors under tables, Amsterdam office", "Building", "Facilities", "Cloud managed", "Facilities", "", 3800, "Pilot", "Low", "OT", ""),
    ("Smart lighting Amsterdam", "Signify", "Interact Office lighting with presence detection", "Building", "Facilities", "Cloud managed", "Facilities", "", 4100, "Live", "Low", "OT", "landlord fit-out"),
    ("Floor-cleaning robot", "SoftBank Robotics", "Whiz autonomous vacuum robot; 3-month pilot on London floor 4", "Facilities", "Facilities", "Device", "Facilities", "No", 5500, "Pilot", "Low", "OT", ""),
    ("Server room UPS", "APC", "", "Infrastructure", "IT", "On-prem", "Priya Raman (IT)", "Yes", 2400, "Live", "High", "OT", ""),
    ("Server room environment monitor", "APC", "NetBotz temperature, humidity and door sensors", "Infrastructure", "IT", "On-prem", "Priya Raman (IT)", "Yes", 900, "Live", "Medium", "OT", ""),
    ("Smart lockers", "Vecos", "Electronic day lockers opened with staff badge", "Workplace", "All staff", "On-prem", "Facilities", "Yes", 3500, "Live", "Low", "OT", ""),
    ("Printers fleet", "Canon", "Multifunction printers with uniFLOW secure print", "Print", "All staff", "On-prem", "Priya Raman (IT)", "Yes", 38000, "Live", "Medium", "?", "physical devices, IT-managed"),
    ("Café ordering kiosk", "Square", "Touchscreen kiosk in the staff café; also used by visiting clients", "Workplace", "Staff; visitors", "Device", "Facilities", "", 1600, "Pilot", "Low", "?", ""),
    ("Room display panels", "Crestron", "Screens outside meeting rooms, linked to Condeco bookings", "Workplace", "All staff", "On-prem", "Facilities", "Yes", 4600, "Live", "Low", "?", ""),
    ("Meeting-room AV", "Logitech", "Rally bars and Teams Rooms consoles", "Collaboration", "All staff", "On-prem", "Priya Raman (IT)", "Yes", 21000, "Live", "Medium", "IT", ""),
    ("Honeywell", "Honeywell", "", "Building", "Facilities", "", "", "", None, "Live", "", "OT", "landlord BMS link? unclear"),
]


def _eu_amount(value: float) -> str:
    """Format an integer euro amount the way Dutch/German Excel saves it: 12.500"""
    s = f"{int(round(value)):,}"
    return s.replace(",", ".")


def make_advisory(rng: random.Random) -> list[str]:
    rows = []
    for i, item in enumerate(ADVISORY, start=1):
        (name, vendor, desc, cat, users, hosting, owner, approved, cost, status,
         crit, _intent, comment) = item
        if cost is None:
            cost_s = ""
        elif cost == 0:
            cost_s = "0"
        else:
            jitter = cost * rng.uniform(0.93, 1.07)
            step = 100 if jitter >= 5000 else 10
            cost_s = _eu_amount(round(jitter / step) * step)
        rows.append([f"HV-{i:03d}", name, vendor, desc, cat, users, hosting, owner,
                     approved, cost_s, status, crit, comment])
    # a couple of cells in the shapes Excel users really type
    rows[0][12] = "renewal 1 July; E5 uplift under review; see \"M365 roadmap\""
    rows[3][3] += ";\nbusiness case due Q4"   # embedded ';' and a line break
    path = HERE / "advisory_firm" / "portfolio.csv"
    with path.open("w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(ADVISORY_HEADERS)
        w.writerows(rows)
    return [it[11] for it in ADVISORY]


# ---------------------------------------------------------------------------
# 2. Kessler Precision Components -- ServiceNow cmdb_ci list export (CSV)
# ---------------------------------------------------------------------------
CMDB_HEADERS = [
    "sys_id", "name", "sys_class_name", "short_description", "manufacturer",
    "model_id", "install_status", "operational_status", "used_for", "owned_by",
    "department", "location", "cost", "cost_cc", "business_criticality",
    "discovery_source", "sys_updated_on",
]

LOC_HQ = "DE-TUT Tuttlingen HQ"
LOC_W1 = "DE-TUT Werk 1 (machining)"
LOC_W2 = "DE-TUT Werk 2 (assembly)"
LOC_CZ = "CZ-PLZ Plzen plant"
LOC_CLOUD = "Cloud"

C1, C2, C3, C4 = ("1 - most critical", "2 - somewhat critical",
                  "3 - less critical", "4 - not critical")

PEOPLE = {
    "prod": "Markus Hoffmann", "prod_cz": "Petra Novakova", "maint": "Jürgen Kraus",
    "qual": "Sabine Wendt", "eng": "Dr. Felix Brandt", "it": "Anja Schreiber",
    "ot": "Tobias Leitner", "sales": "Claudia Richter", "fin": "Stefan Maier",
    "hr": "Ines Köhler", "log": "Milan Dvorak", "svc": "Laura Becker",
}

# (name, class, short_description, manufacturer, model, install_status,
#  operational_status, used_for, owner key or "", department, location,
#  cost EUR or None, criticality, discovery_source, intent)
def _cmdb_items() -> list[tuple]:
    it = []
    add = it.append
    # ---- Level 0/1: field devices and controllers, four machining/assembly lines
    for line, (loc, own) in {1: (LOC_W1, "prod"), 2: (LOC_W1, "prod"),
                             3: (LOC_W2, "prod"), 4: (LOC_CZ, "prod_cz")}.items():
        add((f"Line {line} PLC", "cmdb_ci_ot_plc",
             f"Line {line} cell controller PLC – sequencing of machining cell and conveyors",
             "Siemens", "SIMATIC S7-1500 CPU 1516-3 PN/DP", "Installed", "Operational",
             "Production", own, "Production", loc, 6800, C1, "SG-Claroty", "OT"))
        add((f"Line {line} HMI", "cmdb_ci_ot_hmi",
             f"Operator panel Line {line}, supervisory screens for cell",
             "Siemens", "SIMATIC HMI TP1500 Comfort", "Installed", "Operational",
             "Production", own, "Production", loc, 3900, C2, "SG-Claroty", "OT"))
        add((f"Line {line} safety PLC", "cmdb_ci_ot_plc",
             "Fail-safe controller for light curtains and e-stops",
             "Pilz", "PSS 4000", "Installed", "Operational", "Production", own,
             "Production", loc, 4200, C1, "Manual Entry", "OT"))
        add((f"Line {line} drives", "cmdb_ci_ot_industrial_drive",
             "Field device: servo and conveyor drives", "Siemens", "SINAMICS S120",
             "Installed", "Operational", "Production", own, "Production", loc, 0, C2,
             "SG-Claroty", "OT"))
        add((f"Line {line} vibration sensors", "cmdb_ci_ot_industrial_sensor",
             "Field device: spindle vibration and temperature monitoring (IO-Link)",
             "ifm electronic", "VVB001", "Installed", "Operational", "Production", own,
             "Maintenance", loc, 0, C3, "SG-Claroty", "OT"))
    # duplicate record: discovered again after the HMI was replaced
    add(("Line 3 HMI", "cmdb_ci_ot_hmi", "", "Siemens", "SIMATIC HMI TP1500 Comfort",
         "Installed", "Operational", "Production", "", "", LOC_W2, 0, "",
         "SG-Claroty", "OT"))
    add(("Line 3 HMI", "cmdb_ci_computer", "Old panel PC for line 3 – replaced, still on network",
         "Beckhoff", "CP2216", "Retired", "Non-Operational", "Production", "prod",
         "Production", LOC_W2, 2900, C4, "SCCM", "OT"))
    add(("Rockwell", "cmdb_ci_ot_plc", "", "Rockwell Automation",
         "ControlLogix 5580", "Installed", "Operational", "Production", "", "",
         LOC_CZ, 0, "", "SG-Claroty", "OT"))
    add(("Siemens", "cmdb_ci_ot", "", "Siemens", "", "Installed", "Operational", "",
         "", "", LOC_W1, 0, "", "SG-Claroty", "OT"))
    add(("Siemens", "cmdb_ci_ot_industrial_drive", "", "Siemens", "SINAMICS G120",
         "Installed", "Operational", "Production", "", "", LOC_CZ, 0, "", "SG-Claroty", "OT"))
    add(("Line 4 remote I/O", "cmdb_ci_ot_control_module", "Distributed I/O rack",
         "Siemens", "ET 200SP", "Installed", "Operational", "Production", "prod_cz",
         "Production", LOC_CZ, 1200, C2, "SG-Claroty", "OT"))
    # CNC machine tools
    cnc = [
        ("CNC-101 DMU 50", "DMG MORI", "DMU 50 3rd gen, Heidenhain TNC 640", LOC_W1, 410000),
        ("CNC-102 DMU 50", "DMG MORI", "DMU 50 3rd gen, Heidenhain TNC 640", LOC_W1, 410000),
        ("CNC-103 Hermle C 42", "Hermle", "5-axis machining centre with pallet changer", LOC_W1, 690000),
        ("CNC-104 Index C200", "INDEX", "Turn-mill centre", LOC_W1, 520000),
        ("CNC-105 Mazak Integrex", "Yamazaki Mazak", "Integrex i-200S multi-tasking", LOC_W1, 480000),
        ("CNC-201 Okuma Genos", "Okuma", "Genos L3000 lathe", LOC_CZ, 240000),
        ("CNC-202 Okuma Genos", "Okuma", "", LOC_CZ, 240000),
        ("CNC-203 Fanuc Robodrill", "FANUC", "Robodrill α-D21MiB5 drilling/tapping", LOC_CZ, 165000),
        ("Studer S33 grinder", "Studer", "Cylindrical grinding machine, Fanuc 0i control", LOC_W1, 350000),
        ("Wire EDM", "GF Machining Solutions", "CUT P 550 wire EDM", LOC_W1, 280000),
    ]
    for name, mfr, desc, loc, cost in cnc:
        add((name, "cmdb_ci_ot_cnc", desc, mfr, "", "Installed", "Operational",
             "Production", "prod" if loc != LOC_CZ else "prod_cz", "Production", loc,
             cost, C1, "Manual Entry", "OT"))
    add(("CNC-106 DMU 65", "cmdb_ci_ot_cnc", "New 5-axis machine, delivery in Q3",
         "DMG MORI", "DMU 65 monoBLOCK", "On Order", "Non-Operational", "Production", "prod",
         "Production", LOC_W1, 560000, C1, "Manual Entry", "OT"))
    add(("Mazak CNC-105 control", "cmdb_ci_computer", "Mazatrol SmoothAi control PC of CNC-105",
         "Yamazaki Mazak", "SmoothAi", "In Maintenance", "Repair in Progress", "Production",
         "maint", "Maintenance", LOC_W1, 0, C2, "SG-Claroty", "OT"))
    # robots, AGVs
    robots = [
        ("Robot cell 1 KUKA", "KUKA", "KR 10 R1100 machine tending CNC-101/102", LOC_W1, "Installed", "Production"),
        ("Robot cell 2 FANUC", "FANUC", "M-20iD deburring cell", LOC_W1, "Installed", "Production"),
        ("Robot cell 3 ABB", "ABB", "IRB 1300 assembly and press-fit", LOC_W2, "Installed", "Production"),
        ("Cobot packaging UR10e", "Universal Robots", "Collaborative robot palletising – pilot on line 3", LOC_W2, "Installed", "Proof of Concept"),
        ("Cobot screwdriving", "Universal Robots", "", LOC_CZ, "Pending Install", "Test"),
    ]
    for name, mfr, desc, loc, st, uf in robots:
        add((name, "cmdb_ci_ot_industrial_robot", desc, mfr, "", st,
             "Operational" if st == "Installed" else "Ready", uf,
             "prod" if loc != LOC_CZ else "prod_cz", "Production", loc,
             95000 if "Cobot" not in name else 42000, C2 if "Cobot" not in name else C3,
             "Manual Entry", "OT"))
    add(("AGV fleet Werk 2", "cmdb_ci_ot_industrial_robot",
         "Autonomous mobile robots moving blanks between warehouse and lines", "Mobile Industrial Robots",
         "MiR250", "Installed", "Operational", "Proof of Concept", "log", "Logistics",
         LOC_W2, 118000, C3, "Manual Entry", "OT"))
    add(("AGV fleet manager", "cmdb_ci_appl", "MiR Fleet software, schedules AGV missions",
         "Mobile Industrial Robots", "MiR Fleet", "Installed", "Operational", "Proof of Concept",
         "log", "Logistics", LOC_W2, 9500, C3, "Manual Entry", "OT"))
    add(("Metal 3D printer", "cmdb_ci_ot_industrial_3d_printer",
         "Additive manufacturing of titanium prototypes", "EOS", "EOS M 290",
         "Installed", "Operational", "Development", "eng", "Engineering", LOC_HQ, 620000,
         C3, "Manual Entry", "OT"))
    # vision / quality inspection
    add(("Vision inspection line 1", "cmdb_ci_ot_qics", "Camera-based surface defect inspection",
         "Cognex", "In-Sight 9912", "Installed", "Operational", "Production", "qual", "Quality",
         LOC_W1, 38000, C2, "SG-Claroty", "OT"))
    add(("Vision inspection line 3", "cmdb_ci_ot_qics", "Presence/orientation check after press-fit",
         "Keyence", "CV-X400", "Installed", "Operational", "Production", "qual", "Quality",
         LOC_W2, 21000, C2, "SG-Claroty", "OT"))
    add(("AI visual inspection pilot", "cmdb_ci_ot_qics",
         "Deep-learning defect classification on line 4 – proof of concept", "Cognex",
         "VisionPro Deep Learning", "Installed", "Operational", "Proof of Concept", "qual",
         "Quality", LOC_CZ, 45000, C3, "Manual Entry", "OT"))
    add(("CMM measuring room", "cmdb_ci_ot_qics", "Coordinate measuring machine with Calypso",
         "Carl Zeiss", "CONTURA", "Installed", "Operational", "Production", "qual", "Quality",
         LOC_HQ, 210000, C2, "Manual Entry", "OT"))
    add(("CMM Plzen", "cmdb_ci_ot_qics", "", "Hexagon", "Global S", "Installed", "Operational",
         "Production", "qual", "Quality", LOC_CZ, 175000, C2, "Manual Entry", "OT"))
    add(("Laser marking station", "cmdb_ci_ot_control", "UDI laser marking of medical parts",
         "TRUMPF", "TruMark 5020", "Installed", "Operational", "Production", "prod", "Production",
         LOC_W2, 64000, C1, "Manual Entry", "OT"))
    # supervisory level
    add(("WinCC SCADA server", "cmdb_ci_ot_scada_server",
         "Supervisory control of machining lines Werk 1 and 2", "Siemens", "WinCC Unified",
         "Installed", "Operational", "Production", "ot", "Production", LOC_W1, 42000, C1,
         "SG-Claroty", "OT"))
    add(("WinCC SCADA client control room", "cmdb_ci_ot_scada_client", "", "Siemens",
         "WinCC Unified Client", "Installed", "Operational", "Production", "ot", "Production",
         LOC_W1, 3500, C2, "SG-Claroty", "OT"))
    add(("Ignition SCADA Plzen", "cmdb_ci_ot_scada_server", "Supervisory screens for Plzen lines",
         "Inductive Automation", "Ignition 8.1", "Installed", "Operational", "Production",
         "prod_cz", "Production", LOC_CZ, 18000, C1, "SG-Claroty", "OT"))
    add(("PI Historian", "cmdb_ci_ot_historian", "Process historian for machine and energy data",
         "AVEVA", "PI Server 2018 SP3", "Installed", "Operational", "Production", "ot",
         "Production", LOC_HQ, 56000, C2, "SG-Claroty", "OT"))
    add(("PI Vision", "cmdb_ci_appl", "Web dashboards on historian data for site operations",
         "AVEVA", "PI Vision", "Installed", "Operational", "Production", "ot", "Production",
         LOC_HQ, 12000, C3, "ServiceNow", "OT"))
    add(("TIA Portal engineering workstation", "cmdb_ci_ot_ews", "PLC/HMI programming",
         "Siemens", "Celsius W5010", "Installed", "Operational", "Production", "ot", "Production",
         LOC_W1, 5800, C2, "SG-Claroty", "OT"))
    add(("Studio 5000 engineering laptop", "cmdb_ci_ot_ews", "", "Dell", "Precision 3581",
         "Installed", "Operational", "Production", "ot", "Production", LOC_CZ, 2900, C2,
         "SCCM", "OT"))
    add(("KEPServerEX", "cmdb_ci_ot_opc_server", "OPC UA server bridging PLCs to MES and historian",
         "PTC", "Kepware 6.14", "Installed", "Operational", "Production", "ot", "Production",
         LOC_W1, 7200, C1, "SG-Claroty", "OT"))
    add(("DNC server", "cmdb_ci_ot_supervisory", "Distributes NC programs to CNC machines",
         "CIMCO", "DNC-Max 8", "Installed", "Operational", "Production", "ot", "Production",
         LOC_W1, 8600, C1, "Manual Entry", "OT"))
    add(("Tool presetter", "cmdb_ci_ot_control", "Tool measuring and presetting, sends offsets to DNC",
         "ZOLLER", "venturion 450", "Installed", "Operational", "Production", "prod", "Production",
         LOC_W1, 72000, C2, "Manual Entry", "OT"))
    add(("Modbus gateway compressor house", "cmdb_ci_protocol_converter",
         "Modbus RTU to TCP for compressors and chillers", "Moxa", "MGate MB3180",
         "Installed", "Operational", "Production", "maint", "Maintenance", LOC_W1, 600, C3,
         "SG-Claroty", "OT"))
    add(("Compressed air station", "cmdb_ci_ot_control", "Compressor controller, field device level",
         "Kaeser", "SIGMA AIR MANAGER 4.0", "Installed", "Operational", "Production", "maint",
         "Maintenance", LOC_W1, 0, C2, "SG-Claroty", "OT"))
    add(("Energy meters Werk 1", "cmdb_ci_ot_industrial_sensor", "Power quality meters on main distribution",
         "Janitza", "UMG 604", "Installed", "Operational", "Production", "maint", "Maintenance",
         LOC_W1, 0, C3, "SG-Claroty", "OT"))
    add(("Energy meters Plzen", "cmdb_ci_ot_industrial_sensor", "", "Janitza", "UMG 96",
         "Pending Install", "Ready", "Production", "prod_cz", "Maintenance", LOC_CZ, 0, C4,
         "Manual Entry", "OT"))
    add(("Coolant concentration sensors", "cmdb_ci_ot_industrial_sensor",
         "Field device: inline refractometers on central coolant system", "Vulcan", "",
         "Installed", "Operational", "Production", "maint", "Maintenance", LOC_W1, 0, C3,
         "Manual Entry", "OT"))
    add(("Clean room monitoring", "cmdb_ci_ot_industrial_sensor",
         "Particle counters and differential pressure, ISO 7 assembly", "Vaisala", "viewLinc",
         "Installed", "Operational", "Production", "qual", "Quality", LOC_W2, 26000, C1,
         "Manual Entry", "OT"))
    add(("Washing machine parts cleaning", "cmdb_ci_ot_control", "", "Dürr Ecoclean",
         "EcoCvelox", "Installed", "Operational", "Production", "prod", "Production", LOC_W2,
         0, C2, "SG-Claroty", "OT"))
    add(("Heat treatment furnace", "cmdb_ci_ot_control", "Vacuum furnace controller",
         "Ipsen", "TITAN", "In Maintenance", "Repair in Progress", "Production", "maint",
         "Maintenance", LOC_CZ, 0, C2, "Manual Entry", "OT"))
    add(("Building management system", "cmdb_ci_ot_supervisory", "HVAC and lighting of plant halls",
         "Siemens", "Desigo CC", "Installed", "Operational", "Production", "maint", "Facilities",
         LOC_HQ, 14000, C3, "Manual Entry", "OT"))
    add(("Warehouse automatic storage", "cmdb_ci_ot_control", "Vertical lift modules for small parts",
         "Kardex", "Shuttle XP 500", "Installed", "Operational", "Production", "log", "Logistics",
         LOC_W2, 0, C2, "Manual Entry", "OT"))
    add(("Access control turnstiles", "cmdb_ci_ot_control", "Site entry and time recording terminals",
         "dormakaba", "", "Installed", "Operational", "Production", "hr", "HR", LOC_HQ, 0, C3,
         "Manual Entry", "OT"))
    # OT network
    for i, loc in enumerate([LOC_W1, LOC_W1, LOC_W2, LOC_CZ], start=1):
        add((f"OT switch {loc[:6]}-{i:02d}", "cmdb_ci_ip_switch", "Industrial Ethernet switch, cell zone",
             "Cisco", "IE-3400", "Installed", "Operational", "Production", "ot", "IT", loc, 3100,
             C2, "ServiceNow", "OT"))
    add(("OT DMZ firewall", "cmdb_ci_ip_firewall", "Segmentation between plant network and enterprise zone",
         "Fortinet", "FortiGate 100F Rugged", "Installed", "Operational", "Production", "ot", "IT",
         LOC_W1, 8900, C1, "ServiceNow", "?"))
    add(("Claroty xDome", "cmdb_ci_business_app", "OT asset discovery and anomaly detection",
         "Claroty", "xDome", "Installed", "Operational", "Production", "ot", "IT", LOC_CLOUD,
         48000, C2, "Manual Entry", "?"))
    # site operations / MES level 3
    add(("MES HYDRA X", "cmdb_ci_business_app",
         "Manufacturing execution: order release, machine data collection, OEE, traceability",
         "MPDV", "HYDRA X", "Installed", "Operational", "Production", "prod", "Production",
         LOC_HQ, 165000, C1, "Manual Entry", "OT"))
    add(("MES HYDRA X test", "cmdb_ci_business_app", "", "MPDV", "HYDRA X", "Installed",
         "Operational", "Test", "it", "IT", LOC_HQ, 0, C4, "Manual Entry", "OT"))
    add(("MES terminals", "cmdb_ci_computer", "Shop-floor data collection terminals for operators",
         "Siemens", "SIMATIC IPC477E", "Installed", "Operational", "Production", "prod",
         "Production", LOC_W1, 24000, C2, "SCCM", "OT"))
    add(("CAQ Babtec", "cmdb_ci_business_app", "Quality planning, inspection plans, SPC, 8D complaints",
         "Babtec", "BabtecQ", "Installed", "Operational", "Production", "qual", "Quality",
         LOC_HQ, 62000, C2, "Manual Entry", "?"))
    add(("CMMS maintenance planning", "cmdb_ci_business_app", "Preventive maintenance of machines (SAP PM)",
         "SAP", "S/4HANA PM", "Installed", "Operational", "Production", "maint", "Maintenance",
         LOC_HQ, 0, C2, "Manual Entry", "?"))
    add(("Label printers shipping", "cmdb_ci_printer", "GS1/UDI labels for packaging",
         "Zebra", "ZT411", "Installed", "Operational", "Production", "log", "Logistics",
         LOC_W2, 5200, C2, "ServiceNow", "?"))
    add(("NiceLabel", "cmdb_ci_appl", "Label design and print management", "Loftware",
         "NiceLabel LMS", "Installed", "Operational", "Production", "log", "Logistics", LOC_HQ,
         11000, C2, "SCCM", "IT"))
    # ---- enterprise IT
    bapps = [
        ("SAP S/4HANA", "SAP", "ERP: finance, sales orders, MRP, purchasing, warehouse", 420000, C1, "fin", "Finance", LOC_HQ),
        ("SAP S/4HANA QA", "SAP", "", 0, C4, "it", "IT", LOC_HQ),
        ("Teamcenter PLM", "Siemens", "Product lifecycle management: drawings, BOMs, change management", 140000, C1, "eng", "Engineering", LOC_HQ),
        ("Siemens NX CAD/CAM", "Siemens", "3D design and CNC programming", 96000, C2, "eng", "Engineering", LOC_HQ),
        ("SolidWorks", "Dassault Systemes", "CAD seats in Plzen engineering", 18000, C3, "eng", "Engineering", LOC_CZ),
        ("Microsoft 365", "Microsoft", "Office, Exchange Online, Teams, SharePoint", 168000, C1, "it", "IT", LOC_CLOUD),
        ("Microsoft", "Microsoft", "", 0, "", "", "", LOC_CLOUD),
        ("DATEV Lohn und Gehalt", "DATEV", "Payroll Germany", 21000, C2, "hr", "HR", LOC_CLOUD),
        ("SAP SuccessFactors", "SAP", "HR core, recruiting, learning", 54000, C2, "hr", "HR", LOC_CLOUD),
        ("ServiceNow ITSM", "ServiceNow", "IT service management and this CMDB", 72000, C2, "it", "IT", LOC_CLOUD),
        ("Jira", "Atlassian", "Engineering change and IT project tracking", 9800, C3, "it", "IT", LOC_CLOUD),
        ("Confluence", "Atlassian", "", 6200, C4, "it", "IT", LOC_CLOUD),
        ("Power BI", "Microsoft", "Management reporting on ERP and MES data", 12600, C3, "fin", "Finance", LOC_CLOUD),
        ("SAP Ariba", "SAP", "Supplier portal and purchasing catalogues", 47000, C2, "fin", "Purchasing", LOC_CLOUD),
        ("Veeam Backup", "Veeam", "Backup of plant and office servers", 14000, C1, "it", "IT", LOC_HQ),
        ("CrowdStrike Falcon", "CrowdStrike", "Endpoint protection (office and engineering PCs)", 39000, C1, "it", "IT", LOC_CLOUD),
        ("Microsoft Intune", "Microsoft", "Device management", 0, C2, "it", "IT", LOC_CLOUD),
        ("d.velop documents", "d.velop", "Document management and invoice workflow", 28000, C2, "fin", "Finance", LOC_HQ),
        ("Timemaster time recording", "ISGUS", "Time and attendance for shift workers", 16000, C2, "hr", "HR", LOC_HQ),
        ("Shift planning", "ATOSS", "", 22000, C3, "prod", "Production", LOC_CLOUD),
        ("EDI SEEBURGER BIS", "SEEBURGER", "EDI with automotive and medtech customers and suppliers (VDA, EDIFACT)", 36000, C1, "it", "IT", LOC_HQ),
        ("Salesforce Sales Cloud", "Salesforce", "Key account management, quotes, opportunity pipeline", 58000, C2, "sales", "Sales", LOC_CLOUD),
    ]
    intents_bapp = {"EDI SEEBURGER BIS": "?", "Salesforce Sales Cloud": "?"}
    for name, mfr, desc, cost, crit, own, dept, loc in bapps:
        uf = "Test" if name.endswith("QA") else "Production"
        add((name, "cmdb_ci_business_app", desc, mfr, "", "Installed", "Operational", uf,
             own, dept, loc, cost, crit, "Manual Entry" if own else "ServiceNow",
             intents_bapp.get(name, "IT")))
    servers = [
        ("tutsap01", "cmdb_ci_linux_server", "SAP HANA DB host", "Fujitsu", "PRIMERGY RX2540 M6", C1),
        ("tutsap02", "cmdb_ci_linux_server", "SAP application server", "Fujitsu", "PRIMERGY RX2540 M6", C1),
        ("tutmes01", "cmdb_ci_win_server", "MES application server", "Dell", "PowerEdge R650", C1),
        ("tutmes02", "cmdb_ci_win_server", "MES database (SQL Server)", "Dell", "PowerEdge R650", C1),
        ("tuthist01", "cmdb_ci_win_server", "Historian host", "Dell", "PowerEdge R650", C2),
        ("tutplm01", "cmdb_ci_win_server", "Teamcenter server", "Dell", "PowerEdge R750", C1),
        ("tutfs01", "cmdb_ci_win_server", "", "Dell", "PowerEdge R640", C3),
        ("tutdc01", "cmdb_ci_win_server", "Domain controller", "Dell", "PowerEdge R450", C1),
        ("plzdc01", "cmdb_ci_win_server", "Domain controller Plzen", "HPE", "ProLiant DL360 Gen10", C1),
        ("plzfs01", "cmdb_ci_win_server", "", "HPE", "ProLiant DL360 Gen10", C3),
        ("tutvm-host03", "cmdb_ci_esx_server", "VMware host", "Dell", "PowerEdge R750", C2),
        ("tutold-erp", "cmdb_ci_server", "Old ERP (proALPHA) – archive only", "IBM", "System x3650", C4),
    ]
    for name, cls, desc, mfr, model, crit in servers:
        st = "Retired" if name == "tutold-erp" else "Installed"
        add((name, cls, desc, mfr, model, st, "Retired" if st == "Retired" else "Operational",
             "Production", "it", "IT", LOC_CZ if name.startswith("plz") else LOC_HQ,
             0 if desc == "" else 9000, crit, "ServiceNow", "IT"))
    add(("SQL Server 2019 MES instance", "cmdb_ci_appl", "", "Microsoft", "SQL Server 2019",
         "Installed", "Operational", "Production", "it", "IT", LOC_HQ, 0, C1, "ServiceNow", "IT"))
    add(("Core switch HQ", "cmdb_ci_ip_switch", "Office core network", "Cisco", "Catalyst 9500",
         "Installed", "Operational", "Production", "it", "IT", LOC_HQ, 14000, C1, "ServiceNow", "IT"))
    add(("Perimeter firewall", "cmdb_ci_ip_firewall", "Internet edge HA pair", "Fortinet",
         "FortiGate 200F", "Installed", "Operational", "Production", "it", "IT", LOC_HQ, 16000,
         C1, "ServiceNow", "IT"))
    add(("WLAN controller", "cmdb_ci_netgear", "Office and warehouse Wi-Fi", "Cisco",
         "Catalyst 9800-L", "Installed", "Operational", "Production", "it", "IT", LOC_HQ, 7000,
         C2, "ServiceNow", "IT"))
    add(("Office MFP 1st floor", "cmdb_ci_printer", "", "Kyocera", "TASKalfa 4054ci",
         "Installed", "Operational", "Production", "it", "IT", LOC_HQ, 0, C4, "ServiceNow", "IT"))
    add(("Office MFP Plzen", "cmdb_ci_printer", "Multifunction printer", "Kyocera",
         "TASKalfa 3554ci", "Installed", "Operational", "Production", "it", "IT", LOC_CZ, 0, C4,
         "ServiceNow", "IT"))
    add(("Engineering workstations", "cmdb_ci_computer", "CAD workstations (pool of 24)", "Dell",
         "Precision 5860", "Installed", "Operational", "Production", "eng", "Engineering",
         LOC_HQ, 86000, C3, "SCCM", "IT"))
    add(("Office laptops", "cmdb_ci_computer", "", "Lenovo", "ThinkPad T14", "Installed",
         "Operational", "Production", "it", "IT", LOC_HQ, 0, C3, "SG-Intune", "IT"))
    add(("Shop-floor tablets", "cmdb_ci_computer", "Rugged tablets for maintenance work orders",
         "Panasonic", "TOUGHBOOK G2", "Installed", "Operational", "Production", "maint",
         "Maintenance", LOC_W1, 19000, C3, "SG-Intune", "?"))
    add(("Company smartphones", "cmdb_ci_comm", "", "Apple", "iPhone 14", "Installed",
         "Operational", "Production", "it", "IT", LOC_HQ, 0, C4, "SG-Intune", "IT"))
    add(("Private phones with Teams", "cmdb_ci_comm", "Personal devices seen in Intune app protection, not enrolled",
         "", "", "Installed", "Operational", "Production", "", "", "", 0, "", "SG-Intune", "IT"))
    # ---- customer-facing (CT)
    add(("B2B ordering portal", "cmdb_ci_business_app",
         "Customer web portal: order entry, order status, delivery notes, certificates of conformity",
         "SAP", "SAP Commerce Cloud", "Installed", "Operational", "Production", "sales", "Sales",
         LOC_CLOUD, 124000, C1, "Manual Entry", "CT"))
    add(("B2B ordering portal staging", "cmdb_ci_business_app", "", "SAP", "SAP Commerce Cloud",
         "Installed", "Operational", "Staging", "it", "IT", LOC_CLOUD, 0, C4, "Manual Entry", "CT"))
    add(("Kessler Partner App", "cmdb_ci_business_app",
         "Distributor app (iOS/Android): stock availability, price lists, order tracking",
         "In-house", "", "Installed", "Operational", "Production", "sales", "Sales", LOC_CLOUD,
         68000, C2, "Manual Entry", "CT"))
    add(("Spare parts shop", "cmdb_ci_business_app",
         "E-commerce shop for spare parts and accessories, card and invoice payment",
         "shopware", "Shopware 6", "Installed", "Operational", "Production", "svc",
         "Customer Service", LOC_CLOUD, 39000, C2, "Manual Entry", "CT"))
    add(("Payment service provider", "cmdb_ci_business_app", "", "Adyen", "", "Installed",
         "Operational", "Production", "fin", "Finance", LOC_CLOUD, 8000, C2, "Manual Entry", "CT"))
    add(("Product configurator", "cmdb_ci_business_app",
         "Customers configure special tooling variants and request quotes", "Tacton", "Tacton CPQ",
         "Installed", "Operational", "Demonstration", "sales", "Sales", LOC_CLOUD, 45000, C3,
         "Manual Entry", "CT"))
    add(("kessler-precision.com", "cmdb_ci_business_app", "Corporate website, product catalogue, careers",
         "TYPO3", "TYPO3 CMS 12", "Installed", "Operational", "Production", "sales", "Marketing",
         LOC_CLOUD, 26000, C3, "Manual Entry", "CT"))
    add(("Customer complaint portal", "cmdb_ci_business_app",
         "Customers file quality complaints and follow 8D reports", "Babtec", "Babtec Q-Portal",
         "Pending Install", "Ready", "Production", "qual", "Quality", LOC_CLOUD, 14000, C3,
         "Manual Entry", "CT"))
    add(("Customer service desk", "cmdb_ci_business_app", "Support tickets and e-mail from customers",
         "Zendesk", "Zendesk Suite", "Installed", "Operational", "Production", "svc",
         "Customer Service", LOC_CLOUD, 17000, C2, "Manual Entry", "CT"))
    add(("Connected spindle service", "cmdb_ci_business_app",
         "Remote condition monitoring offered to customers of Kessler spindle units – pilot",
         "In-house", "", "Installed", "Operational", "Proof of Concept", "svc", "Customer Service",
         LOC_CLOUD, 31000, C3, "Manual Entry", "?"))
    add(("Newsletter", "cmdb_ci_business_app", "", "CleverReach", "", "Installed", "Operational",
         "Production", "sales", "Marketing", LOC_CLOUD, 1800, C4, "Manual Entry", "CT"))
    add(("Trade fair lead app", "cmdb_ci_business_app", "Badge scanning at fairs", "Cvent",
         "", "Retired", "Retired", "Production", "sales", "Marketing", LOC_CLOUD, 0, C4,
         "Manual Entry", "CT"))
    # ---- found by SaaS discovery, no owner (shadow IT)
    shadow = [
        ("WeTransfer", "WeTransfer", "IT"), ("Dropbox", "Dropbox", "IT"), ("Canva", "Canva", "IT"),
        ("ChatGPT", "OpenAI", "IT"), ("DeepL", "DeepL", "IT"), ("Miro", "Miro", "IT"),
        ("Trello", "Atlassian", "IT"), ("monday.com", "monday.com", "IT"),
        ("Onshape", "PTC", "IT"), ("Autodesk Fusion", "Autodesk", "IT"),
        ("Smartsheet", "Smartsheet", "IT"), ("Zoom", "Zoom", "IT"),
        ("Mailchimp", "Intuit", "CT"), ("Calendly", "Calendly", "CT"),
        ("Google Forms", "Google", "?"), ("Xometry", "Xometry", "?"),
    ]
    for name, mfr, intent in shadow:
        add((name, "cmdb_ci_business_app", "", mfr, "", "Installed", "Operational", "", "", "",
             LOC_CLOUD, 0, "", "SaaS Discovery", intent))
    return it


def _sys_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def make_manufacturer(rng: random.Random) -> list[str]:
    items = _cmdb_items()
    start = dt.datetime(2024, 1, 8, 7, 0, 0)
    rows = []
    for (name, cls, desc, mfr, model, inst, oper, used_for, own, dept, loc, cost,
         crit, source, _intent) in items:
        if cost:
            cost_s = f"{round(cost * rng.uniform(0.95, 1.05), -1):.2f}"
        elif cost == 0 and own:
            cost_s = "0"          # ServiceNow default: 0 means "never filled in"
        else:
            cost_s = ""
        updated = start + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 150))
        rows.append([_sys_id(rng), name, cls, desc, mfr, model, inst, oper, used_for,
                     PEOPLE.get(own, ""), dept, loc, cost_s, "EUR" if cost_s else "",
                     crit, source, updated.strftime("%Y-%m-%d %H:%M:%S")])
    rng.shuffle(rows)             # CMDB list views are not grouped by purpose
    path = HERE / "precision_manufacturer" / "cmdb_ci.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=",", lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        w.writerow(CMDB_HEADERS)
        w.writerows(rows)
    return [i[-1] for i in items]


# ---------------------------------------------------------------------------
# 3. Meridian Coast Hotels -- SAP LeanIX inventory export (.xlsx)
# ---------------------------------------------------------------------------
LEANIX_HEADERS = [
    "ID", "Type", "Subtype", "Name", "Description", "Lifecycle",
    "Lifecycle: Plan", "Lifecycle: Phase In", "Lifecycle: Active",
    "Lifecycle: Phase Out", "Lifecycle: End Of Life", "Business Criticality",
    "Functional Fit", "Technical Fit", "Provider", "User Groups", "Hosting Type",
    "Tags", "Subscriptions: Responsible", "Total Annual Cost",
]

A, ITC = "Application", "ITComponent"
BA, MS = "Business Application", "Microservice"
MC, BC, BO, AS = ("missionCritical", "businessCritical", "businessOperational",
                  "administrativeService")

# (type, subtype, name, description, phase, criticality, functional fit,
#  technical fit, provider, user groups, hosting, tags, responsible, cost, intent)
HOTEL = [
    # ---- guest-facing (CT)
    (A, BA, "SynXis Booking Engine", "Direct online booking on meridiancoast.com and mobile", "active", MC, "appropriate", "fullyAppropriate", "Sabre", "Guests", "saas", "Guest-facing; PCI DSS", "n.ferreira@meridiancoast.com", 186000, "CT"),
    (A, BA, "SynXis Central Reservations", "CRS: rates, inventory, distribution to GDS and OTAs", "active", MC, "appropriate", "adequate", "Sabre", "Reservations; Revenue", "saas", "", "n.ferreira@meridiancoast.com", 240000, "?"),
    (A, BA, "SiteMinder Channel Manager", "Rates and availability to Booking.com, Expedia and others", "active", BC, "appropriate", "adequate", "SiteMinder", "Revenue", "saas", "", "n.ferreira@meridiancoast.com", 48000, "?"),
    (A, BA, "Meridian Guest App", "iOS/Android app: booking, check-in, mobile key, chat, offers", "phaseIn", MC, "perfect", "fullyAppropriate", "In-house", "Guests", "iaas", "Guest-facing; GDPR", "s.lindgren@meridiancoast.com", 210000, "CT"),
    (A, BA, "Meridian Guest App", "Previous app (agency build), retiring when new app reaches all hotels", "phaseOut", BC, "insufficient", "inappropriate", "Mobiquity", "Guests", "saas", "Guest-facing", "s.lindgren@meridiancoast.com", 52000, "CT"),
    (A, MS, "Guest profile service", "API serving guest profiles and preferences to app and web", "active", BC, "appropriate", "fullyAppropriate", "In-house", "Guests; Digital team", "iaas", "", "s.lindgren@meridiancoast.com", 18000, "CT"),
    (A, MS, "Offer service", "", "phaseIn", BO, "", "", "In-house", "Guests", "iaas", "Pilot", "s.lindgren@meridiancoast.com", 9000, "CT"),
    (A, BA, "meridiancoast.com", "Brand website and hotel pages", "active", MC, "appropriate", "adequate", "Adobe", "Guests; Marketing", "saas", "Guest-facing", "c.dubois@meridiancoast.com", 132000, "CT"),
    (A, BA, "Mobile key", "NFC/BLE digital room keys in the guest app", "phaseIn", BC, "appropriate", "adequate", "ASSA ABLOY", "Guests", "saas", "Guest-facing; Pilot", "s.lindgren@meridiancoast.com", 64000, "?"),
    (A, BA, "Self check-in kiosks", "Lobby kiosks: check-in, key card encoding, invoice", "active", BC, "appropriate", "adequate", "Ariane Systems", "Guests; Front office", "onPremise", "Guest-facing", "r.okonkwo@meridiancoast.com", 58000, "CT"),
    (A, BA, "Lobby proximity offers", "BLE beacons push spa/restaurant offers to app users in the lobby", "plan", AS, "", "", "Kontakt.io", "Guests", "saas", "Pilot; Guest-facing", "c.dubois@meridiancoast.com", 7500, "CT"),
    (A, BA, "Guest Wi-Fi", "Captive portal and guest internet, coastal resorts", "active", BC, "appropriate", "adequate", "Purple", "Guests", "saas", "Guest-facing; GDPR", "r.okonkwo@meridiancoast.com", 36000, "CT"),
    (A, BA, "Guest Wi-Fi", "", "active", BC, "", "", "Cisco Meraki", "Guests", "saas", "Guest-facing", "", 21000, "CT"),
    (A, BA, "Guest messaging", "Two-way SMS/WhatsApp messaging between guests and front desk", "active", BO, "appropriate", "adequate", "Canary Technologies", "Guests; Front office", "saas", "Guest-facing", "r.okonkwo@meridiancoast.com", 24000, "CT"),
    (A, BA, "Pre-arrival upselling", "Room upgrade and add-on offers by email before arrival", "active", BO, "perfect", "adequate", "Oaky", "Guests; Revenue", "saas", "", "n.ferreira@meridiancoast.com", 16000, "CT"),
    (A, BA, "Website chatbot", "Answers booking questions on the website", "phaseIn", AS, "", "", "Asksuite", "Guests", "saas", "Pilot", "c.dubois@meridiancoast.com", 8400, "CT"),
    (A, BA, "Meridian Rewards", "Loyalty programme: points, tiers, member rates", "active", MC, "appropriate", "adequate", "Salesforce", "Guests; Marketing", "saas", "Guest-facing; GDPR", "c.dubois@meridiancoast.com", 118000, "CT"),
    (A, BA, "Salesforce Marketing Cloud", "Email campaigns and guest journeys", "active", BC, "appropriate", "adequate", "Salesforce", "Marketing", "saas", "", "c.dubois@meridiancoast.com", 92000, "CT"),
    (A, BA, "ReviewPro", "Online reputation and guest satisfaction surveys", "active", BO, "appropriate", "adequate", "Shiji", "Hotel managers; Guests", "saas", "", "c.dubois@meridiancoast.com", 27000, "CT"),
    (A, BA, "OpenTable", "Restaurant reservations", "active", BO, "appropriate", "", "OpenTable", "Guests; F&B", "saas", "Guest-facing", "", 19000, "CT"),
    (A, BA, "Spa booking", "Online spa and treatment booking", "active", BO, "", "", "Book4Time", "Guests; Spa", "saas", "", "", 14000, "CT"),
    (A, BA, "QR menus", "Digital restaurant menus created by F&B teams", "active", AS, "", "", "MENU TIGER", "Guests; F&B", "saas", "Unsanctioned; Guest-facing", "", 600, "CT"),
    (A, BA, "In-room casting", "Guests stream from their phones to room TVs", "active", BO, "appropriate", "adequate", "Sonifi", "Guests", "onPremise", "Guest-facing", "r.okonkwo@meridiancoast.com", 41000, "CT"),
    (A, BA, "In-room voice assistant", "Voice requests for towels, late checkout, local tips", "plan", AS, "", "", "Amazon", "Guests", "saas", "Pilot", "s.lindgren@meridiancoast.com", 12000, "CT"),
    (A, BA, "Lobby digital signage", "Event schedules and welcome screens", "active", AS, "appropriate", "adequate", "Samsung", "Guests", "saas", "", "", 6800, "CT"),
    (A, BA, "Cvent", "Meetings and events: RFPs and group bookings from planners", "active", BC, "appropriate", "adequate", "Cvent", "Sales; Event planners", "saas", "", "m.haddad@meridiancoast.com", 34000, "CT"),
    (A, BA, "Adyen payments", "Online and in-hotel card payments, tokenisation", "active", MC, "perfect", "fullyAppropriate", "Adyen", "Guests; Finance", "saas", "PCI DSS", "p.varga@meridiancoast.com", 72000, "?"),
    (A, BA, "Instagram scheduler", "", "active", AS, "", "", "Later", "Marketing", "saas", "Unsanctioned", "", 900, "CT"),
    (A, BA, "Mailchimp", "Newsletters of two resort hotels", "active", AS, "", "", "Intuit", "Hotel marketing", "saas", "Unsanctioned", "", 1400, "CT"),
    (A, BA, "Group booking portal", "Tour operators and wedding planners manage rooming lists", "active", BO, "insufficient", "adequate", "In-house", "Partners; Sales", "onPremise", "", "m.haddad@meridiancoast.com", 11000, "CT"),
    (A, BA, "WhatsApp Business", "Front desks message guests from staff phones", "active", AS, "", "", "Meta", "Front office; Guests", "saas", "Unsanctioned", "", None, "CT"),
    # ---- staff information (IT)
    (A, BA, "OPERA Cloud PMS", "Property management: reservations, front desk, folios, housekeeping status", "active", MC, "appropriate", "fullyAppropriate", "Oracle", "Front office; Housekeeping; Finance", "saas", "PCI DSS; GDPR", "r.okonkwo@meridiancoast.com", 395000, "IT"),
    (A, BA, "OPERA 5 PMS", "On-premise PMS at the three hotels not yet migrated", "phaseOut", MC, "insufficient", "inappropriate", "Oracle", "Front office", "onPremise", "", "r.okonkwo@meridiancoast.com", 68000, "IT"),
    (A, BA, "Simphony POS", "Restaurant and bar point of sale", "active", MC, "appropriate", "adequate", "Oracle", "F&B", "saas", "PCI DSS", "p.varga@meridiancoast.com", 98000, "IT"),
    (A, BA, "Delphi.fdc", "Sales and catering: group and event bookings, contracts", "active", BC, "insufficient", "adequate", "Amadeus", "Sales", "saas", "", "m.haddad@meridiancoast.com", 52000, "IT"),
    (A, BA, "HotSOS", "Service optimisation: guest requests and engineering work orders", "active", BC, "appropriate", "adequate", "Amadeus", "Engineering; Housekeeping; Front office", "saas", "", "t.brennan@meridiancoast.com", 31000, "IT"),
    (A, BA, "Optii Housekeeping", "Room cleaning assignments and status on staff phones", "phaseIn", BO, "perfect", "fullyAppropriate", "Optii", "Housekeeping", "saas", "Pilot", "r.okonkwo@meridiancoast.com", 22000, "IT"),
    (A, BA, "IDeaS G3 RMS", "Revenue management: forecasts and price recommendations", "active", MC, "appropriate", "fullyAppropriate", "IDeaS", "Revenue", "saas", "", "n.ferreira@meridiancoast.com", 86000, "IT"),
    (A, BA, "Infor SunSystems", "General ledger and group consolidation", "active", MC, "appropriate", "adequate", "Infor", "Finance", "onPremise", "", "p.varga@meridiancoast.com", 74000, "IT"),
    (A, BA, "Birchstreet", "Procurement and supplier catalogues", "active", BO, "appropriate", "adequate", "Birchstreet", "Purchasing", "saas", "", "p.varga@meridiancoast.com", 26000, "IT"),
    (A, BA, "Fourth", "Workforce scheduling and labour cost", "active", BC, "appropriate", "adequate", "Fourth", "Hotel managers; HR", "saas", "", "a.moreau@meridiancoast.com", 48000, "IT"),
    (A, BA, "ADP Payroll", "", "active", MC, "", "", "ADP", "HR; Finance", "saas", "GDPR", "a.moreau@meridiancoast.com", 57000, "IT"),
    (A, BA, "Workday HCM", "Core HR and recruiting, replacing spreadsheets", "plan", BC, "", "", "Workday", "HR", "saas", "", "a.moreau@meridiancoast.com", 0, "IT"),
    (A, BA, "Microsoft 365", "Email, Office, Teams, SharePoint", "active", MC, "appropriate", "fullyAppropriate", "Microsoft", "All staff", "saas", "", "j.keller@meridiancoast.com", 152000, "IT"),
    (A, BA, "Power BI", "Hotel performance dashboards", "active", BO, "appropriate", "adequate", "Microsoft", "Hotel managers; Finance", "saas", "", "j.keller@meridiancoast.com", 11000, "IT"),
    (A, BA, "Snowflake data platform", "Guest and revenue data warehouse", "phaseIn", BC, "", "fullyAppropriate", "Snowflake", "Digital team; Revenue", "saas", "", "s.lindgren@meridiancoast.com", 39000, "IT"),
    (A, MS, "MuleSoft integration layer", "APIs between PMS, CRS, loyalty and app", "active", MC, "appropriate", "adequate", "Salesforce", "Digital team", "saas", "", "s.lindgren@meridiancoast.com", 88000, "IT"),
    (A, BA, "Freshservice", "IT service desk for hotels", "active", BO, "appropriate", "adequate", "Freshworks", "All staff", "saas", "", "j.keller@meridiancoast.com", 15000, "IT"),
    (A, BA, "Lost & found", "", "active", AS, "", "", "Chargerback", "Front office", "saas", "", "", 2100, "?"),
    (A, BA, "Trello", "Pre-opening task lists", "active", AS, "", "", "Atlassian", "Hotel managers", "saas", "Unsanctioned", "", None, "IT"),
    (A, BA, "Canva", "", "active", AS, "", "", "Canva", "Hotel marketing", "saas", "Unsanctioned", "", 1300, "IT"),
    (A, BA, "Dropbox", "Photo sharing with agencies", "active", AS, "", "", "Dropbox", "Marketing", "saas", "Unsanctioned", "", 1700, "IT"),
    (A, BA, "ChatGPT", "Used by sales managers to draft replies to RFPs", "active", AS, "", "", "OpenAI", "Sales", "saas", "Unsanctioned", "", 2400, "IT"),
    (A, BA, "Staff rota spreadsheet", "Google Sheets shift rota, Porto resort", "active", AS, "", "", "Google", "Front office", "saas", "Unsanctioned", "", None, "IT"),
    (A, BA, "Copilot for sales", "AI drafting of group proposals", "plan", AS, "", "", "Microsoft", "Sales", "saas", "Pilot", "m.haddad@meridiancoast.com", 6000, "IT"),
    (ITC, "Software", "Oracle", "", "active", "", "", "", "Oracle", "", "", "", "", 45000, "IT"),
    (ITC, "SaaS", "Okta", "Staff single sign-on", "active", MC, "appropriate", "fullyAppropriate", "Okta", "All staff", "saas", "", "j.keller@meridiancoast.com", 29000, "IT"),
    (ITC, "Software", "CrowdStrike Falcon", "Endpoint protection", "active", MC, "appropriate", "fullyAppropriate", "CrowdStrike", "IT", "saas", "", "j.keller@meridiancoast.com", 33000, "IT"),
    (ITC, "Hardware", "Fortinet SD-WAN", "Hotel firewalls and SD-WAN", "active", MC, "appropriate", "adequate", "Fortinet", "IT", "onPremise", "", "j.keller@meridiancoast.com", 64000, "IT"),
    (ITC, "Hardware", "Staff Wi-Fi and switches", "", "active", BC, "", "", "Cisco Meraki", "IT", "onPremise", "", "j.keller@meridiancoast.com", 38000, "IT"),
    (ITC, "Hardware", "Front-desk workstations", "Thin clients for PMS", "active", BC, "", "adequate", "HP", "Front office", "onPremise", "", "j.keller@meridiancoast.com", 26000, "IT"),
    (ITC, "Hardware", "Staff personal phones", "Housekeeping and engineering use own phones for Optii and HotSOS", "active", AS, "", "", "", "Housekeeping; Engineering", "", "Unsanctioned", "", None, "IT"),
    (ITC, "Hardware", "Key card encoders", "Front-desk RFID key encoders", "active", BC, "", "adequate", "ASSA ABLOY", "Front office", "onPremise", "", "r.okonkwo@meridiancoast.com", 9000, "?"),
    # ---- physical operations, mostly through facilities partners (OT)
    (A, BA, "Building management system", "Supervisory control of HVAC, lighting and pumps (flagship hotels)", "active", MC, "appropriate", "adequate", "Siemens", "Engineering", "onPremise", "Partner-operated", "t.brennan@meridiancoast.com", 46000, "OT"),
    (ITC, "Hardware", "HVAC controllers", "Chillers and VRF air conditioning controls", "active", MC, "", "adequate", "Daikin", "Engineering", "onPremise", "Partner-operated", "t.brennan@meridiancoast.com", 0, "OT"),
    (ITC, "Hardware", "Guest room management system", "Room thermostats, occupancy sensors and do-not-disturb", "active", BC, "appropriate", "adequate", "Honeywell", "Engineering; Housekeeping", "onPremise", "", "t.brennan@meridiancoast.com", 34000, "OT"),
    (ITC, "Hardware", "Honeywell", "", "active", "", "", "", "Honeywell", "", "", "Partner-operated", "", None, "OT"),
    (ITC, "Hardware", "Elevators", "Lift controllers with remote monitoring", "active", MC, "", "", "KONE", "Engineering", "onPremise", "Partner-operated", "", 0, "OT"),
    (A, BA, "KONE 24/7 Connected Services", "Predictive maintenance of lifts, run by KONE", "active", BO, "", "", "KONE", "Engineering", "saas", "Partner-operated", "t.brennan@meridiancoast.com", 28000, "OT"),
    (A, BA, "Energy monitoring", "Sub-meters for electricity, gas and water per hotel", "active", BO, "appropriate", "adequate", "Schneider Electric", "Engineering; Sustainability", "saas", "", "t.brennan@meridiancoast.com", 21000, "OT"),
    (ITC, "Hardware", "Energy meters", "", "active", BO, "", "", "Schneider Electric", "Engineering", "onPremise", "", "", 0, "OT"),
    (ITC, "Hardware", "Electronic door locks", "RFID guest room locks", "active", MC, "appropriate", "adequate", "ASSA ABLOY", "Engineering; Front office", "onPremise", "", "t.brennan@meridiancoast.com", 0, "OT"),
    (ITC, "Hardware", "Fire alarm panels", "", "active", MC, "", "", "Bosch", "Engineering", "onPremise", "Partner-operated", "", 0, "OT"),
    (ITC, "Hardware", "CCTV", "Cameras and recorders in public areas and car parks", "active", BC, "", "adequate", "Axis Communications", "Security", "onPremise", "GDPR", "t.brennan@meridiancoast.com", 19000, "OT"),
    (ITC, "Hardware", "Pool dosing controllers", "Chlorine and pH dosing, resort pools", "active", BC, "", "", "Lutz-Jesco", "Engineering", "onPremise", "Partner-operated", "", 0, "OT"),
    (A, BA, "ConnectedCooking", "Combi-oven programs and HACCP logs", "active", BO, "appropriate", "adequate", "RATIONAL", "Kitchen", "saas", "", "p.varga@meridiancoast.com", 3200, "OT"),
    (ITC, "Hardware", "Cold-room temperature sensors", "Wireless HACCP temperature loggers", "active", BC, "appropriate", "adequate", "Testo", "Kitchen", "saas", "", "p.varga@meridiancoast.com", 5400, "OT"),
    (ITC, "Hardware", "Solar PV inverters", "Rooftop PV at two resorts", "phaseIn", BO, "", "", "SMA", "Engineering; Sustainability", "onPremise", "Partner-operated", "t.brennan@meridiancoast.com", 0, "OT"),
    (ITC, "Hardware", "Leak detection sensors", "LoRaWAN water-leak sensors in plant rooms", "plan", AS, "", "", "Milesight", "Engineering", "saas", "Pilot", "t.brennan@meridiancoast.com", 4800, "OT"),
    (ITC, "Hardware", "EV chargers", "Guest car-park chargers, billed to room", "active", BO, "", "adequate", "Wallbox", "Guests; Engineering", "saas", "Guest-facing; Partner-operated", "", 7200, "?"),
    (ITC, "Hardware", "Car park barriers", "Entry/exit barriers and licence-plate recognition", "active", BO, "", "", "SKIDATA", "Guests; Security", "onPremise", "Partner-operated", "", 12000, "?"),
    (ITC, "Hardware", "Minibar sensors", "Automatic minibar consumption posting to folio", "phaseOut", AS, "unreasonable", "inappropriate", "Bartech", "Housekeeping", "onPremise", "", "", 3000, "?"),
    (ITC, "Hardware", "Laundry tracking", "RFID linen tracking, laundry partner", "active", AS, "", "", "Datamars", "Housekeeping", "saas", "Partner-operated", "", 8800, "OT"),
    (A, BA, "MICROS 3700 POS", "Old restaurant POS at two city hotels; replaced by Simphony", "endOfLife", AS, "unreasonable", "inappropriate", "Oracle", "F&B", "onPremise", "", "p.varga@meridiancoast.com", None, "IT"),
    (A, BA, "Staff intranet (legacy)", "", "endOfLife", AS, "", "inappropriate", "In-house", "All staff", "onPremise", "", "j.keller@meridiancoast.com", None, "IT"),
    (A, BA, "Check-in tablets", "Front-desk tablets for guest signature and ID scan", "phaseOut", BO, "insufficient", "adequate", "Samsung", "Front office; Guests", "onPremise", "", "r.okonkwo@meridiancoast.com", 4200, "?"),
    (A, BA, "Hotel TV channel lineup", "IPTV head-end for room TVs", "phaseOut", BO, "", "inappropriate", "Sonifi", "Guests", "onPremise", "Partner-operated", "", 9800, "CT"),
    (ITC, "Hardware", "Back-of-house printers", "", "active", AS, "", "", "Kyocera", "All staff", "onPremise", "", "j.keller@meridiancoast.com", 9500, "?"),
]

_PHASES = ["plan", "phaseIn", "active", "phaseOut", "endOfLife"]
_PHASE_LABEL = {"plan": "Plan", "phaseIn": "Phase In", "active": "Active",
                "phaseOut": "Phase Out", "endOfLife": "End Of Life"}


def _lifecycle_dates(rng: random.Random, phase: str) -> list[str]:
    """Dates for each LeanIX lifecycle phase up to (and one after) the current one."""
    today = dt.date(2025, 3, 1)
    idx = _PHASES.index(phase)
    # the current phase started 1-36 months ago (plans: 0-6 months ago)
    cur_start = today - dt.timedelta(days=rng.randrange(0, 180 if idx == 0 else 1080))
    dates: list[str] = ["", "", "", "", ""]
    d = cur_start
    for k in range(idx, -1, -1):
        if rng.random() < 0.75 or k == idx:
            dates[k] = d.isoformat()
        d -= dt.timedelta(days=rng.randrange(60, 400))
    if idx < 4 and rng.random() < 0.4:  # a planned next phase
        dates[idx + 1] = (today + dt.timedelta(days=rng.randrange(60, 700))).isoformat()
    return dates


def make_hotel(rng: random.Random) -> list[str]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    readme = wb.active
    readme.title = "Readme"
    for line in [
        ["SAP LeanIX inventory export"],
        ["Workspace", "meridian-coast-hotels"],
        ["Exported", "2025-03-01 09:14 UTC"],
        ["Fact sheet types", "Application, ITComponent"],
        [],
        ["Notes for re-import"],
        ["Do not change the ID column; leave it empty to create new fact sheets."],
        ["Multiple values in one cell (Tags, User Groups) are separated by '; '."],
        ["Lifecycle dates use the format yyyy-mm-dd."],
        ["The data is on the sheet 'Export'."],
    ]:
        readme.append(line)
    readme["A1"].font = Font(bold=True)
    ws = wb.create_sheet("Export")
    ws.append(LEANIX_HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
    for (typ, sub, name, desc, phase, crit, ff, tf, prov, groups, hosting, tags, resp,
         cost, _intent) in HOTEL:
        fid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        dates = _lifecycle_dates(rng, phase)
        if cost is None:
            cost_v = None
        elif cost == 0:
            cost_v = 0
        else:
            cost_v = round(cost * rng.uniform(0.94, 1.06), -1)
        ws.append([fid, typ, sub, name, desc or None, _PHASE_LABEL[phase], *[d or None for d in dates],
                   crit or None, ff or None, tf or None, prov or None, groups or None,
                   hosting or None, tags or None, resp or None, cost_v])
    for col, width in zip("ABCDEFGHIJKLMNOPQRST",
                          [38, 12, 20, 32, 60, 11, 13, 13, 13, 13, 13, 20, 13, 16, 20, 30, 11, 30, 30, 14]):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    path = HERE / "hotel_group" / "applications.xlsx"
    wb.save(path)
    _normalise_xlsx_timestamps(path)
    return [h[-1] for h in HOTEL]


def _normalise_xlsx_timestamps(path: Path) -> None:
    """Rewrite the zip with fixed member timestamps and core-properties dates
    so that re-running the script gives a byte-identical file."""
    import re
    import zipfile

    fixed = (2025, 3, 1, 9, 14, 0)
    with zipfile.ZipFile(path) as zin:
        members = [(i, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z",
                              b"2025-03-01T09:14:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=fixed)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)


def main() -> None:
    rng = random.Random(SEED)
    mixes = {
        "advisory_firm": make_advisory(rng),
        "precision_manufacturer": make_manufacturer(rng),
        "hotel_group": make_hotel(rng),
    }
    for org, intents in mixes.items():
        c = Counter(intents)
        print(f"{org}: {len(intents)} rows; intended IT={c['IT']} OT={c['OT']} "
              f"CT={c['CT']} ambiguous={c['?']}")


if __name__ == "__main__":
    main()
