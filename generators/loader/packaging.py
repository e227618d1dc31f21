"""packaging: where the Kubernetes objects go, what selects them, and the tenants of ruler rules."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from generators.loader.checker import Checker
from generators.loader.source import LineMap
from generators.model import Packaging, Receiver

# Kubernetes: a namespace is a DNS-1123 label, a Secret name a DNS-1123 subdomain
DNS_LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
DNS_SUBDOMAIN_RE = re.compile(r"^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
# label keys: optional DNS-subdomain prefix and a name; values: empty or the name shape
LABEL_PART_RE = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")
# Mimir/Cortex tenant IDs: up to 150 characters of this set, never "." or ".."
TENANT_RE = re.compile(r"^[A-Za-z0-9!._*'()-]{1,150}$")


def load_packaging(c: Checker, node: Any, line: int, prefix: str) -> Packaging:
    p = "packaging"
    defaults = Packaging(credentials_secret=f"alertmanager-{prefix.lower()}-credentials" if prefix else "")
    m = c.mapping(node, p, line, optional=("namespace", "rule_labels", "credentials_secret", "source_tenants"))
    if m is None:
        return defaults
    namespace = c.text(m, "namespace", p, defaults.namespace, lambda v: None if DNS_LABEL_RE.match(v) else
                       "not a Kubernetes namespace name (lower-case letters, digits and '-', at most 63), "
                       "e.g. monitoring")
    secret = c.text(m, "credentials_secret", p, defaults.credentials_secret,
                    lambda v: None if DNS_SUBDOMAIN_RE.match(v) else
                    "not a Kubernetes Secret name (lower-case letters, digits, '-' and '.'), "
                    "e.g. alertmanager-billing-credentials")
    labels = _labels(c, m, p) if "rule_labels" in m else defaults.rule_labels
    tenants = c.value(m, "source_tenants", p, list, [])
    good = []
    for i, tenant in enumerate(tenants):
        if isinstance(tenant, str) and TENANT_RE.match(tenant) and tenant not in (".", ".."):
            good.append(tenant)
        else:
            c.error(tenants.item_lines[i], f"{p}.source_tenants[{i}]",
                    "not a tenant ID (up to 150 letters, digits and !-_.*'(), not . or ..), e.g. billing-prod")
    return Packaging(namespace, labels, secret, tuple(dict.fromkeys(good)))


def _labels(c: Checker, m: LineMap, p: str) -> tuple[tuple[str, str], ...]:
    field = f"{p}.rule_labels"
    node = c.mapping(m.get("rule_labels"), field, c.line_of(m, "rule_labels"))
    if node is None:
        return ()
    pairs = []
    for key in node:
        value = c.text(node, key, field)
        if not isinstance(node[key], str):
            continue  # reported by c.text
        prefix, _, name = key.rpartition("/")
        if not LABEL_PART_RE.match(name) or (prefix and not DNS_SUBDOMAIN_RE.match(prefix)):
            c.error(node.key_lines[key], f"{field}.{key}", "not a Kubernetes label key (name or prefix/name, "
                    "letters, digits, '-', '_', '.', at most 63 after the prefix), e.g. role")
        elif value and not LABEL_PART_RE.match(value):
            c.error(node.key_lines[key], f"{field}.{key}", "not a Kubernetes label value (at most 63 letters, "
                    "digits, '-', '_', '.', starting and ending alphanumeric); quote numbers, e.g. \"1\"")
        else:
            pairs.append((key, value))
    return tuple(sorted(pairs))


SECRET_KEY_RE = re.compile(r"^[-._a-zA-Z0-9]{1,253}$")


def check_credential_files(c: Checker, receivers: dict[str, Receiver], line: int) -> None:
    """On Kubernetes each *_file becomes a key of one Secret, named by the file name: two
    different paths with one file name would collide there."""
    seen: dict[str, str] = {}
    for name, receiver in receivers.items():
        for key, path in receiver.settings:
            if not key.endswith("_file"):
                continue
            base = posixpath.basename(path)
            field = f"receivers.{name}.{key}"
            if not SECRET_KEY_RE.match(base) or base in (".", ".."):
                c.error(line, field, f"file name {base!r} cannot be a Kubernetes Secret key; use letters, "
                        "digits, '-', '_' and '.'")
            elif seen.setdefault(base, path) != path:
                c.error(line, field, f"{path} and {seen[base]} share the file name {base!r}, one key of the "
                        "credentials Secret on Kubernetes; give them different file names")
