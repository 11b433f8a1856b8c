"""Fragment caching for the parts of pages that rarely change.

    {% load portal_cache %}
    {% fragment_cache "footer" LANGUAGE_CODE %}…{% endfragment_cache %}

The fragment is stored in the default cache under its name, the values given
and the page cache's generation token, so any publish or content change
invalidates it together with the full pages (portal/cache.py); a copy is also
kept in process memory (`portal.cache.cached_fragment`). Listings read their data lazily,
so a fragment that hits costs no query. Previews of drafts are never cached.
It is used when ``FRAGMENT_CACHE_ENABLED`` (by default with a shared Redis
cache, even when the full-page cache is off); otherwise the block is simply
rendered.
"""

from django import template

from portal.cache import cached_fragment

register = template.Library()


class FragmentCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        return cached_fragment(
            request=context.get("request"),
            name=self.name.resolve(context),
            vary=[value.resolve(context) for value in self.vary_on],
            build=lambda: self.nodelist.render(context),
        )


@register.tag
def fragment_cache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragment_cache needs a name")
    nodelist = parser.parse(("endfragment_cache",))
    parser.delete_first_token()
    return FragmentCacheNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])
