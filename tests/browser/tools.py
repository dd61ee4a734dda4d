"""Where the browser and the checkers the browser tests run live (`make browser-tools` installs them), and how
the tests run the checkers."""

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "tests" / "screenshots"

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map(violation => ({
    rule: violation.id,
    help: violation.help,
    nodes: violation.nodes.map(node => node.target.join(" ") + " — " + node.failureSummary.replace(/\\s+/g, " ")),
  }));
}"""


def axe_violations(page, scheme):
    """What axe-core finds on the page shown in ``scheme`` (light or dark), one line per rule broken."""
    page.emulate_media(color_scheme=scheme)
    return [
        f"{violation['rule']} ({violation['help']}):\n      " + "\n      ".join(violation["nodes"])
        for violation in page.evaluate(RUN_AXE, AXE_TAGS)
    ]


def nu_html_errors(paths):
    """The Nu Html Checker's errors in the saved pages at ``paths``, as file:line: message."""
    checked = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    return [
        f"{message['url'].rsplit('/', 1)[-1]}:{message.get('lastLine', '?')}: {message['message']}"
        for message in json.loads(checked.stderr)["messages"]
        if message["type"] == "error" or message.get("subType") == "fatal"
    ]
