"""The structure of the code: imports point one way.

import-linter (`make lint`) keeps the arrows between apps and packages; this
test keeps every circle of imports between modules, counting the imports made
inside functions, to at most two modules (a page model and its own view glue).
"""

import grimp
import pytest

PACKAGES = ("portal", "home", "events", "projects", "website", "demo", "staff_auth")


def _strongly_connected(graph) -> list[set[str]]:
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(module):
        index[module] = low[module] = counter[0]
        counter[0] += 1
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            found.append(component)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def _longest_cycle(graph, component: set[str]) -> list[str]:
    longest: list[str] = []

    def walk(start, module, path):
        nonlocal longest
        for imported in graph.find_modules_directly_imported_by(module):
            if imported == start and len(path) > len(longest):
                longest = list(path)
            elif imported in component and imported > start and imported not in path:
                walk(start, imported, [*path, imported])

    for start in sorted(component):
        walk(start, start, [start])
    return longest


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, include_external_packages=False, exclude_type_checking_imports=True)


def test_no_circle_of_imports_is_longer_than_two_modules(graph):
    too_long = []
    for component in _strongly_connected(graph):
        if len(component) > 2:
            cycle = _longest_cycle(graph, component)
            if len(cycle) > 2:
                too_long.append(" -> ".join([*cycle, cycle[0]]))
    assert not too_long, "circular imports of more than two modules:\n" + "\n".join(too_long)


def test_the_graph_is_read(graph):
    # A test that found no modules would pass for nothing.
    assert len(graph.modules) > 80
    assert "events.registrations.models" in graph.find_modules_directly_imported_by(
        "events.registrations.services.booking"
    )
