// `import Squall` is enough for a typical application: it brings in the whole framework.
@_exported public import SquallIO
