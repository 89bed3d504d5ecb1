// The one translation unit that compiles Boost.Asio's and Boost.Beast's non-template code
// (BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION, set on mtsim_testnet).
#include <utility>  // before asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
