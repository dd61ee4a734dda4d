"""Small content folders for loader tests, written the way editors write them."""

from pathlib import Path


def write(root, relative, text):
    path = Path(root) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.lstrip("\n"), encoding="utf-8")
    return path


def minimal_content(root):
    """One model with one example, one dimension, one benefit and one section."""
    write(
        root,
        "models/bpo.md",
        """
---
slug: bpo
abbreviation: BPO
name: Business Process Outsourcing
summary: Routine work handed to a provider.
position: 1
---
Routine, repeatable work.
""",
    )
    write(
        root,
        "examples/data-entry.md",
        """
---
slug: data-entry
title: Data entry
model: bpo
position: 1
---
Typing records into systems.
""",
    )
    write(
        root,
        "comparison/skill-level.md",
        """
---
slug: skill-level
title: Skill level
position: 1
values:
  bpo: Lower to moderate
---
How much expertise the work needs.
""",
    )
    write(
        root,
        "benefits/cost-reduction.md",
        """
---
slug: cost-reduction
title: Lower costs
models: [bpo]
position: 1
---
Labour and office costs fall.
""",
    )
    write(
        root,
        "sections/introduction.md",
        """
---
slug: introduction
title: Introduction
position: 1
---
Why outsourcing matters.
""",
    )
    return Path(root)
