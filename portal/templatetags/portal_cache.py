"""Fragment caching for the parts of pages that rarely change.

    {% load portal_cache %}
    {% fragment_cache "footer" LANGUAGE_CODE %}…{% endfragment_cache %}

The fragment is stored in the default cache under its name, the values given
and the page cache's generation token, so any publish or content change
invalidates it together with the full pages (portal/cache.py); a copy is also
kept in process memory (`fragment_memory`). Listings read their data lazily,
so a fragment that hits costs no query. Previews of drafts are never cached.
It is used when ``FRAGMENT_CACHE_ENABLED`` (by default with a shared Redis
cache, even when the full-page cache is off); otherwise the block is simply
rendered.
"""

import hashlib

from django import template
from django.conf import settings

from portal import cache as page_cache

register = template.Library()


class FragmentCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        if not getattr(settings, "FRAGMENT_CACHE_ENABLED", False):
            return self.nodelist.render(context)
        if getattr(context.get("request"), "is_preview", False):
            return self.nodelist.render(context)  # a draft: never stored, never served from the cache
        name = self.name.resolve(context)
        vary = "\n".join(str(value.resolve(context)) for value in self.vary_on)
        digest = hashlib.sha256(vary.encode()).hexdigest()[:32]
        generation = page_cache.request_generation(context.get("request"))
        key = f"portal:fragment:{generation}:{name}:{digest}"
        # A copy in process memory first (kept for the same generation), then the shared cache.
        return page_cache.fragment_memory(key, lambda: self._shared(key, context))

    def _shared(self, key, context):
        html = page_cache._cache_get(key)
        if html is None:
            html = self.nodelist.render(context)
            page_cache._cache_set(key, html, settings.PAGE_CACHE_SECONDS)
        return html


@register.tag
def fragment_cache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragment_cache needs a name")
    nodelist = parser.parse(("endfragment_cache",))
    parser.delete_first_token()
    return FragmentCacheNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])
