"""Deterministic SYNTHETIC street / county generator for gridlink.

Every name, phone number, household and report produced here is invented: names are
drawn from common character lists, phones use the reserved-looking 13800xxxxxx and
1390000xxxx ranges, and places are laid out by a random road network. Nothing describes
real people.
"""

SYNTHETIC = True
