"""Synthetic portfolios for benchmarks: realistic shapes, many distinct names.

Names combine a product or device with a site, line or store number ("Line 12 HMI",
"Store 0345 self-checkout kiosk"), as CMDB exports do, so most names are distinct and the
classifier cannot lean on repetition. Descriptions, vendors and categories come from small
vocabularies as they do in real exports.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

ITEMS = [  # (name stem, description, vendor, category, users, deployment)
    ("SAP S/4HANA", "ERP for finance, procurement and controlling", "SAP", "cmdb_ci_business_app", "Employees", "On-premises"),
    ("Workday", "HR and payroll", "Workday", "Business application", "Staff", "SaaS"),
    ("Exchange Online", "Email and calendar", "Microsoft", "cmdb_ci_appl", "Employees", "SaaS"),
    ("Laptop", "Standard staff laptop", "Dell", "cmdb_ci_computer", "Employees", ""),
    ("File server", "Departmental file shares", "HPE", "cmdb_ci_server", "", "Data center"),
    ("Core switch", "Campus network switch", "Cisco", "cmdb_ci_netgear", "", "Data center"),
    ("Line HMI", "Operator panel for the packaging line", "Siemens", "cmdb_ci_ot_hmi", "Operators", "Plant floor"),
    ("Cell PLC", "Programmable logic controller for the press cell", "Rockwell Automation", "cmdb_ci_ot_plc", "Machines", "Plant floor"),
    ("Historian", "Process historian collecting line data", "AVEVA", "cmdb_ci_ot", "Engineers", "Site"),
    ("Vibration sensor", "Wireless vibration sensor on motor", "SKF", "Sensor", "Machines", "Edge device"),
    ("AGV", "Automated guided vehicle for intralogistics", "KUKA", "Robot", "", "Warehouse"),
    ("BMS controller", "Building management for HVAC", "Johnson Controls", "Building automation", "Facilities", "On-site"),
    ("Self-checkout kiosk", "Self-service checkout for shoppers", "NCR", "Kiosk", "Customers", "In-store"),
    ("Customer app", "Mobile app for ordering and loyalty", "", "Mobile app", "Customers", "App Store"),
    ("Web shop", "Online store for spare parts", "Shopify", "E-commerce", "Customers", "SaaS"),
    ("Beacon", "Proximity offers in the lobby", "Estimote", "", "Guests", "In-store"),
    ("Salesforce", "CRM for account managers", "Salesforce", "Business application", "Sales staff", "SaaS"),
    ("Digital signage", "", "Samsung", "Display", "", ""),
    ("Miro", "", "Miro", "", "", "SaaS"),
    ("Rockwell", "", "", "", "", ""),
]
LIFECYCLE = ["Live", "Live", "Live", "Pilot", "Retiring", "Proof of Concept", "Planned"]
OWNERS = [f"Department {i}" for i in range(50)] + [""]


def make_portfolio(n: int, seed: int = 0) -> pd.DataFrame:
    """A synthetic portfolio of ``n`` rows (columns as a spreadsheet export names them)."""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(ITEMS), n)
    table = np.array(ITEMS, dtype=object)[pick]
    site = rng.integers(1, 5000, n).astype(str)
    names = pd.Series(table[:, 0], dtype="str") + " " + pd.Series(site, dtype="str")
    return pd.DataFrame({
        "ID": np.char.add("CI", np.arange(n).astype(str)),
        "Name": names,
        "Description": table[:, 1],
        "Vendor": table[:, 2],
        "Category": table[:, 3],
        "Used by": table[:, 4],
        "Hosting": table[:, 5],
        "Status": np.array(LIFECYCLE, dtype=object)[rng.integers(0, len(LIFECYCLE), n)],
        "Owner": np.array(OWNERS, dtype=object)[rng.integers(0, len(OWNERS), n)],
        "Approved by IT": np.array(["Yes", "Yes", "No", ""], dtype=object)[rng.integers(0, 4, n)],
        "Annual cost": np.round(rng.lognormal(9, 1.2, n), 2),
    })
