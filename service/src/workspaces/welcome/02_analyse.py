import os

import matplotlib.pyplot as plt
import pandas as pd

# Paths here are relative to the workspace root. nuri runs notebooks from there;
# JupyterLab may start the kernel in notebooks/ instead, so step up once.
if not os.path.isdir("data") and os.path.isdir("../data"):
    os.chdir("..")

sales = pd.read_csv("data/cleaned.csv", parse_dates=["date"])
sales["month"] = sales["date"].dt.strftime("%Y-%m")
sales.head()

# %%
summary = sales.pivot_table(
    index="region", columns="month", values="amount", aggfunc="sum", fill_value=0
)
summary["total"] = summary.sum(axis=1)
summary = summary.sort_values("total", ascending=False)

os.makedirs("outputs", exist_ok=True)
# utf-8-sig: Excel then shows the Korean region names correctly.
summary.to_csv("outputs/summary.csv", encoding="utf-8-sig")
summary

# %%
from matplotlib import font_manager

# Korean labels need a Korean font; without one, use the romanised names.
KOREAN_FONTS = ("NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "AppleGothic")
installed = {font.name for font in font_manager.fontManager.ttflist}
korean_font = next((name for name in KOREAN_FONTS if name in installed), None)
ROMANISED = {"서울": "Seoul", "부산": "Busan", "대구": "Daegu", "인천": "Incheon", "광주": "Gwangju"}
if korean_font:
    plt.rcParams["font.family"] = korean_font
    plt.rcParams["axes.unicode_minus"] = False
    labels = list(summary.index)
else:
    labels = [ROMANISED.get(region, region) for region in summary.index]

# %%
fig, ax = plt.subplots(figsize=(7, 4))
ax.bar(labels, summary["total"] / 1000, color="#4c72b0")
ax.set_title("Sales by region, Q1 2025")
ax.set_ylabel("Sales (thousand KRW)")
fig.tight_layout()
fig.savefig("outputs/sales_by_region.png", dpi=120)
plt.show()
