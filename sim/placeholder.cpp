// Replaced as sim/ grows; keeps the library non-empty.
namespace mt::sim { int placeholder = 0; }
