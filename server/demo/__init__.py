"""A fictional dealership to try the product with: staff, catalog, 2,000 customers and their history.

    summary = await load_demo()            # once; does nothing if the database has data
    summary = await load_demo(reset=True)  # empty every table first, then load
    for username, role, team in DEMO_ACCOUNTS: print(username, DEMO_PASSWORD, role, team)
"""

from server.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount
from server.demo.loader import DemoSummary, has_data, load_demo

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "DemoAccount", "DemoSummary", "has_data", "load_demo"]
