"""The demo site: everything `load_demo_content` builds.

Development and test settings install this app; production leaves it out.
Product apps never import it.
"""
