-- Without pgvector there is no approximate index: vectors are searched exactly (see 0003).
SELECT 1;
