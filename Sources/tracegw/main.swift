import TraceGatewayCLI
TraceGatewayCommand.main()
