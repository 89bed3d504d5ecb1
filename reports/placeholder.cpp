// Replaced as reports/ grows; keeps the library non-empty.
namespace mt::reports { int placeholder = 0; }
