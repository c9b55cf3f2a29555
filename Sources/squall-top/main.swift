// squall-top: filled by issue #8.
print("squall-top: not built yet")
