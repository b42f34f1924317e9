# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration of axhvc's documentation: "make htmldocs" at the top.
# The kernel-doc directive is the kernel's own (Documentation/sphinx/
# kerneldoc.py and scripts/kernel-doc of linux-source-6.12, unpacked by
# tools/testing/host/fetch-source.sh); AXHVC_LINUX_SRC overrides where.

import os
import sys

top = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
linux_src = os.environ.get('AXHVC_LINUX_SRC', '/var/cache/axhvc/linux-source-6.12')
sys.path.insert(0, os.path.join(linux_src, 'Documentation', 'sphinx'))

project = 'axhvc'
copyright = 'The axhvc developers'
author = 'The axhvc developers'

extensions = ['kerneldoc']
kerneldoc_bin = os.path.join(linux_src, 'scripts', 'kernel-doc')
kerneldoc_srctree = top

# As the kernel's conf.py: the C domain should not stumble on these.
c_id_attributes = ['__user', '__force', '__iomem', '__packed', '__aligned']

# Documentation/axhvc.rst is the entry point (sources and READMEs name it).
master_doc = 'axhvc'
exclude_patterns = ['output']
highlight_language = 'none'
primary_domain = 'c'
html_theme = 'alabaster'
html_title = 'axhvc documentation'
html_static_path = []
