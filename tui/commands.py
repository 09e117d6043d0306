"""The command palette (ctrl+p), found in either language.

A Chinese reader may type a command's Chinese title, its pinyin or initials without an input
method (xuexiao, xx for 学校), or its English name; any of them finds it.
"""

from __future__ import annotations

from textual.command import Hit, Hits
from textual.system_commands import SystemCommandsProvider

from store import spelled


class Commands(SystemCommandsProvider):
    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        english = getattr(self.app, "english_titles", {})
        for title, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            score = max(matcher.match(title), matcher.match(english.get(title, title)))
            if not score and spelled(query, title):
                score = 0.5
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
