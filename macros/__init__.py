"""The site's Python side: bank loading (bank), rendering (render) and the MkDocs macros (site)."""

from macros.site import define_env, on_post_build, on_post_page_macros

__all__ = ["define_env", "on_post_build", "on_post_page_macros"]
