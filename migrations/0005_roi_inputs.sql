-- Prevention ROI inputs saved per category (issue 11, PRODUCT.md's "Prevention ROI"). A
-- category without a row uses the defaults (90 days, 10,000 an hour, 50,000 to implement,
-- 0.8 effective). The row goes with its category.
CREATE TABLE roi_inputs (
    category_id         TEXT PRIMARY KEY REFERENCES categories(id) ON DELETE CASCADE,
    window_days         INTEGER NOT NULL CHECK (window_days >= 1),
    hourly_cost         REAL NOT NULL CHECK (hourly_cost >= 0),
    implementation_cost REAL NOT NULL CHECK (implementation_cost >= 0),
    effectiveness       REAL NOT NULL CHECK (effectiveness >= 0 AND effectiveness <= 1)
);
