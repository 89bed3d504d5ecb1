#include "testnet/port_picker.hpp"

#include <utility>  // before asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio.hpp>

namespace mt::testnet {

Result<std::vector<std::uint16_t>> pick_free_ports(std::size_t count) {
  using tcp = boost::asio::ip::tcp;
  boost::asio::io_context io;
  std::vector<tcp::acceptor> held;
  std::vector<std::uint16_t> ports;
  for (std::size_t i = 0; i < count; ++i) {
    boost::system::error_code ec;
    tcp::acceptor a(io);
    a.open(tcp::v4(), ec);
    if (!ec) a.bind(tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0), ec);
    if (ec) return make_error("cannot pick a free port: " + ec.message());
    ports.push_back(a.local_endpoint().port());
    held.push_back(std::move(a));
  }
  return ports;
}

}  // namespace mt::testnet
