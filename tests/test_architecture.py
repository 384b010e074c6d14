"""The layout of docs/architecture.md, read from the code itself: every Python module's imports (those
inside functions too) are parsed, and the test fails if

- the ground (``ipm/``) imports a domain app, the project package or the top apps;
- an app's models, services or tasks import an app above it in the order of the layers, or any module
  imports the project package (``config``);
- two modules import each other, directly or through others (a cycle of files).

Test modules, migrations and the benchmark scripts are left out: nothing imports them.
"""
import ast
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]

# From the top down: a package may import those below it, never those above.
LAYERS = ["config", "privacy", "demo", "api", "space", "reporting", "network", "surveys", "followup", "departures",
          "referrals", "dossiers", "ipm"]
# Packages at the same height that must not import each other either way.
SIDE_BY_SIDE = {frozenset({"privacy", "demo"})}


def project_modules():
    """{dotted module name: path} for every production module of the project's packages."""
    modules = {}
    for package in LAYERS:
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT)
            parts = relative.with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imports_of(name, path, modules):
    """The project modules ``name`` imports, wherever the import statement stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found = set()

    def resolve(base, names):
        for alias in names:
            candidate = f"{base}.{alias}" if alias != "*" else base
            if candidate in modules:
                found.add(candidate)
            elif base in modules:
                found.add(base)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            resolve(base, [alias.name for alias in node.names])
    found.discard(name)
    return found


def graph():
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def test_the_graph_is_read():
    edges = graph()
    # A sanity check of the reader itself: these imports exist (one inside a function).
    assert "dossiers.models" in edges["dossiers.services"]
    assert "ipm.access" in edges["dossiers.models.dossier"]
    assert len(edges) > 80


def test_the_ground_imports_no_app():
    above = set(LAYERS) - {"ipm"}
    wrong = sorted(
        f"{module} → {target}"
        for module, targets in graph().items() if module.split(".")[0] == "ipm"
        for target in targets if target.split(".")[0] in above
    )
    assert wrong == [], "the ground (ipm/) imports apps:\n" + "\n".join(wrong)


# Screens (views, urls, forms, template tags, admin, commands) show several apps' data on one page: they
# may import the models and services of any app but the project package. The rest of an app (models,
# enums, workflow, services, tasks, outbox…) imports only downwards.
SCREENS = ("views", "urls", "forms", "templatetags", "admin", "management")


def is_screen(module):
    return any(part.startswith(SCREENS) or part.endswith(SCREENS) for part in module.split(".")[1:])


def test_apps_import_only_downwards():
    height = {package: index for index, package in enumerate(LAYERS)}
    wrong = []
    for module, targets in graph().items():
        source = module.split(".")[0]
        if is_screen(module):
            wrong += [f"{module} → {t}" for t in targets if t.split(".")[0] == "config" and source != "config"]
            continue
        for target in targets:
            package = target.split(".")[0]
            if package == source:
                continue
            if height[package] < height[source] or frozenset({source, package}) in SIDE_BY_SIDE:
                wrong.append(f"{module} → {target}")
    assert sorted(wrong) == [], "imports that run upwards:\n" + "\n".join(sorted(wrong))


def find_cycles(edges):
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(result)


def test_find_cycles_sees_a_cycle():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_two_modules_import_each_other():
    cycles = find_cycles(graph())
    assert cycles == [], "modules that import each other:\n" + "\n".join(" ↔ ".join(c) for c in cycles)


def test_no_module_over_450_lines():
    long = sorted(
        f"{path.relative_to(ROOT)}: {n}"
        for path in project_modules().values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 450
    )
    assert long == [], "modules over 450 lines:\n" + "\n".join(long)


def test_nothing_reads_outside_the_repository():
    """The repository stands alone: no code, test or doc reaches for a folder beside it."""
    offenders = []
    for path in ROOT.rglob("*"):
        if any(part in {".venv", "node_modules", ".git", "var", "staticfiles", ".hypothesis"} for part in path.parts):
            continue
        if path.is_file() and path.suffix in {".py", ".md", ".sh", ".html", ".toml", ".yml"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if "../" + "shared" in text or '"shared" / ' + '"contracts"' in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_every_package_is_installed_and_tested():
    """A new app must be packaged (pyproject's packages.find) and its tests collected (testpaths): the
    surveys app once had neither, and its tests silently stayed out of the suite."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packaged = {name.rstrip("*") for name in config["tool"]["setuptools"]["packages"]["find"]["include"]}
    collected = set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    assert set(LAYERS) - packaged == set()
    with_tests = {package for package in LAYERS if (ROOT / package / "tests").is_dir()}
    assert with_tests - collected == set()
