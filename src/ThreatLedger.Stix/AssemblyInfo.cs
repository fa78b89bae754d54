// Stack buffers (stackalloc) used to decode property names and identifiers are always written before
// they are read, so zeroing them on every call is wasted work on the hot reading path.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
