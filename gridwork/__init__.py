"""Running the grid (网格运行): station test quotas, training, the city's oversight of townships."""
