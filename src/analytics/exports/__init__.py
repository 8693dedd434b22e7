"""Downloads: the rows a page shows -> file bytes (`tables`: CSV, XLSX, JSON, Parquet; `ics`:
calendar files). Pure functions after the queries; nothing here reads the store or Streamlit."""
