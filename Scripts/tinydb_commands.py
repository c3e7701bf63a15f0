"""TinyDB doing what `relink -c "show KEY"` and `relink -c projects` do, on the same records (the
file relink-bench's `tinydb-file` writes): open the file, then print one project, or every one.
Scripts/bench-startup.sh times it as a whole process, as it times relink.

    python3 Scripts/tinydb_commands.py TINYDB_FILE show KEY
    python3 Scripts/tinydb_commands.py TINYDB_FILE projects
"""
import sys

from tinydb import Query, TinyDB

path, command = sys.argv[1], sys.argv[2]
table = TinyDB(path).table("_default")
if command == "show":
    found = table.search(Query().key == sys.argv[3])
    if not found:
        sys.exit(f"no project {sys.argv[3]}")
    project = found[0]
    connection = project.get("connection", {})
    print(f"{project['key']} · {project['name']}  ({project['jiraSite']})")
    print(f"  state: {connection.get('state', 'notConnected')}")
    authorization = connection.get("authorization") or {}
    if authorization:
        print(f"  workspace: {authorization['workspace']['name']}  app user: {authorization['appUser']['email']}")
elif command == "projects":
    rows = []
    for project in table.all():
        connection = project.get("connection", {})
        authorization = connection.get("authorization") or {}
        rows.append((project["key"], project["name"], connection.get("state", "notConnected"),
                     authorization.get("workspace", {}).get("name", "—"),
                     authorization.get("appUser", {}).get("email", "—")))
    rows.sort()
    print("KEY  NAME  STATUS  WORKSPACE  APP USER")
    for row in rows:
        print("  ".join(row))
else:
    sys.exit(f"unknown command {command}")
