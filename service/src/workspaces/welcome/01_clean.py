import os

import pandas as pd

# Paths here are relative to the workspace root. nuri runs notebooks from there;
# JupyterLab may start the kernel in notebooks/ instead, so step up once.
if not os.path.isdir("data") and os.path.isdir("../data"):
    os.chdir("..")

# Read every column as text first: converting is the cleaning step's job.
raw = pd.read_csv("data/sales.csv", dtype=str)
print(f"{len(raw)} rows read")
raw.head()

# %%
raw.info()
raw.isna().sum()

# %%
sales = raw.apply(lambda column: column.str.strip())
sales["date"] = pd.to_datetime(sales["date"], format="%Y-%m-%d", errors="coerce")
for column in ["quantity", "unit_price"]:
    digits = sales[column].str.replace(",", "", regex=False)
    sales[column] = pd.to_numeric(digits, errors="coerce")
sales.dtypes

# %%
incomplete = sales.isna().any(axis=1)
duplicated = sales.duplicated()
print(f"incomplete rows: {incomplete.sum()}, duplicates: {duplicated.sum()}")
sales[incomplete | duplicated]

# %%
cleaned = sales[~incomplete & ~duplicated].copy()
numbers = ["quantity", "unit_price"]
cleaned[numbers] = cleaned[numbers].astype(int)
cleaned["amount"] = cleaned["quantity"] * cleaned["unit_price"]
cleaned.to_csv("data/cleaned.csv", index=False)
print(f"{len(cleaned)} of {len(raw)} rows kept -> data/cleaned.csv")
cleaned.head()
