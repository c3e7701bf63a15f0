print("relink")
